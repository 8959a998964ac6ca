/**
 * The frame every signed-in page sits in: a menu per role (a drawer on a phone), who is signed in,
 * the language switch and sign-out.
 */
import { useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Drawer, Layout, Menu, Segmented, Space } from 'antd';
import { useIsPhone } from './phone';
import { LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { useLocale } from './locale';
import { useSignOut, type Me, type Role } from './session';
import { useT, type WebKey } from '../i18n';

interface MenuEntry {
  path: string;
  label: WebKey;
}

const MENUS: Record<Role, MenuEntry[]> = {
  unit_officer: [
    { path: '/my-work', label: 'web.menu.myWork' },
    { path: '/campaigns', label: 'web.menu.campaigns' },
  ],
  coordinator: [
    { path: '/clues/new', label: 'web.menu.intake' },
    { path: '/clues/import', label: 'web.menu.import' },
    { path: '/reviews/plans', label: 'web.menu.reviewPlans' },
    { path: '/reviews/extensions', label: 'web.menu.reviewExtensions' },
    { path: '/reviews/closures', label: 'web.menu.reviewClosures' },
    { path: '/reviews/referrals', label: 'web.menu.reviewReferrals' },
    { path: '/ledger/risks', label: 'web.menu.ledgerRisks' },
    { path: '/ledger/key-clues', label: 'web.menu.ledgerKeyClues' },
    { path: '/escalations', label: 'web.menu.escalations' },
    { path: '/campaigns', label: 'web.menu.campaigns' },
  ],
  leader: [
    { path: '/escalations', label: 'web.menu.escalations' },
    { path: '/overview', label: 'web.menu.overview' },
    { path: '/campaigns', label: 'web.menu.campaigns' },
  ],
  police_liaison: [{ path: '/referrals', label: 'web.menu.referrals' }],
  admin: [
    { path: '/admin/units', label: 'web.menu.adminUnits' },
    { path: '/admin/users', label: 'web.menu.adminUsers' },
    { path: '/admin/tokens', label: 'web.menu.adminTokens' },
  ],
};

function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  const { t } = useT();
  return (
    <Segmented
      size="small"
      aria-label={t('web.language')}
      value={locale}
      onChange={(v) => setLocale(v === 'en' ? 'en' : 'zh-CN')}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en' },
      ]}
    />
  );
}

export default function AppLayout({ me }: { me: Me }) {
  const { t, label } = useT();
  const phone = useIsPhone();
  const [drawer, setDrawer] = useState(false);
  const loc = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const entries = MENUS[me.role];
  const selected = entries
    .filter((e) => loc.pathname === e.path || loc.pathname.startsWith(e.path + '/'))
    .map((e) => e.path);
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected}
      onClick={() => setDrawer(false)}
      items={entries.map((e) => ({ key: e.path, label: <Link to={e.path}>{t(e.label)}</Link> }))}
    />
  );
  const who: ReactNode = (
    <span data-testid="who">
      {me.name}（{label('role', me.role)}）
    </span>
  );
  const signOutButton = (
    <Button
      icon={<LogoutOutlined />}
      onClick={() => void signOut().then(() => navigate('/sign-in'))}
      data-testid="sign-out"
    >
      {t('web.signOut')}
    </Button>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          padding: phone ? '0 12px' : '0 24px',
          background: '#fff',
          borderBottom: '1px solid #f0f0f0',
        }}
      >
        {phone && (
          <Button
            icon={<MenuOutlined />}
            aria-label={t('web.openMenu')}
            onClick={() => setDrawer(true)}
            data-testid="open-menu"
          />
        )}
        <Link
          to="/"
          style={{
            color: 'inherit',
            fontWeight: 600,
            whiteSpace: 'nowrap',
            overflow: 'hidden',
            textOverflow: 'ellipsis',
          }}
        >
          {t(phone ? 'web.titleShort' : 'web.title')}
        </Link>
        <div style={{ flex: 1 }} />
        {!phone && (
          <Space>
            {who}
            <LanguageSwitch />
            {signOutButton}
          </Space>
        )}
        {phone && <LanguageSwitch />}
      </Layout.Header>
      <Layout>
        {!phone && (
          <Layout.Sider width={200} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
            <nav aria-label={t('web.menu')}>{menu}</nav>
          </Layout.Sider>
        )}
        {/* Layout.Content is the page's <main>. */}
        <Layout.Content style={{ padding: phone ? 12 : 24, minWidth: 0 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
      {phone && (
        <Drawer
          open={drawer}
          onClose={() => setDrawer(false)}
          placement="left"
          size={260}
          title={who}
          footer={signOutButton}
        >
          <nav aria-label={t('web.menu')}>{menu}</nav>
        </Drawer>
      )}
    </Layout>
  );
}
