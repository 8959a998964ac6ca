/**
 * The admin's pages: units (list, create, edit contacts and robots), users (list, create, role,
 * deactivate, password reset with the new password shown once) and API tokens (list, issue with the
 * token shown once, revoke). Every change goes through the audited admin API.
 */
import { useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Collapse,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Select,
  Space,
  Tag,
} from 'antd';
import { ApiError, api, ok, type Schemas } from '../api/client';
import { unitsQuery } from '../app/queries';
import { StepForm, picked, req } from '../app/forms';
import { useMe } from '../app/session';
import { Muted, PageTitle } from '../app/text';
import { useUnitName } from '../app/units';
import { useT } from '../i18n';
import { PageError, readFailed } from './PageError';

const ROLES = ['coordinator', 'unit_officer', 'leader', 'police_liaison', 'admin'] as const;
const UNIT_KINDS = ['town', 'community', 'department', 'district_office'] as const;
const UNIT_ROLES: string[] = ['unit_officer', 'police_liaison'];

/** A secret shown once (a new password or token), with what it is for. */
function OneTime({
  secret,
  onClose,
}: {
  secret: { title: string; value: string } | null;
  onClose: () => void;
}) {
  const { t } = useT();
  return (
    <Modal
      open={secret !== null}
      title={secret?.title}
      onCancel={onClose}
      // Gone from the page once closed: the secret is shown this once.
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="close-secret">
          {t('web.admin.secretDone')}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={t('web.admin.secretOnce')} style={{ marginBottom: 12 }} />
      <code
        data-testid="one-time-secret"
        style={{
          display: 'block',
          padding: 12,
          background: '#f5f5f5',
          overflowWrap: 'anywhere',
          userSelect: 'all',
        }}
      >
        {secret?.value}
      </code>
    </Modal>
  );
}

function Section({ title, create, children }: { title: string; create: ReactNode; children: ReactNode }) {
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <PageTitle>{title}</PageTitle>
      {create}
      {children}
    </Space>
  );
}

function useUnitOptions() {
  const q = useQuery(unitsQuery);
  const unitName = useUnitName();
  return (q.data?.items ?? []).map((u) => ({ value: u.id, label: unitName(u.id) }));
}

// ---- units ------------------------------------------------------------------------------------

type UnitUpdate = Schemas['UnitUpdate'];

function UnitEdit({ unitId, onClose }: { unitId: string; onClose: () => void }) {
  const { t } = useT();
  const q = useQuery({
    queryKey: ['unit', unitId],
    queryFn: () => ok(api.GET('/api/v1/units/{unitId}', { params: { path: { unitId } } })),
  });
  const u = q.data;
  // Empty fields clear the value; the DingTalk secret is only sent when typed.
  const clean = (v: Record<string, string | undefined>): UnitUpdate => {
    const out: Record<string, string | null> = {};
    for (const k of ['email', 'headName', 'headEmail'] as const) out[k] = v[k]?.trim() ? v[k]!.trim() : null;
    return out as UnitUpdate;
  };
  return (
    <Modal open title={u ? `${u.nameZh} / ${u.nameEn}` : ''} onCancel={onClose} footer={null} destroyOnHidden>
      {u && (
        <StepForm<Record<string, string | undefined>>
          name="unit-contacts"
          testId="submit-unit"
          submitLabel={t('web.admin.save')}
          refusals="filing"
          initialValues={{ email: u.email ?? '', headName: u.headName ?? '', headEmail: u.headEmail ?? '' }}
          send={(v) =>
            ok(api.PATCH('/api/v1/units/{unitId}', { params: { path: { unitId } }, body: clean(v) }))
          }
          onDone={onClose}
        >
          <Form.Item name="email" label={t('web.admin.unitEmail')}>
            <Input type="email" />
          </Form.Item>
          <Form.Item name="headName" label={t('web.admin.headName')}>
            <Input />
          </Form.Item>
          <Form.Item name="headEmail" label={t('web.admin.headEmail')}>
            <Input type="email" />
          </Form.Item>
          <Muted style={{ display: 'block', marginBottom: 12 }}>
            {t('web.admin.robots')}: {u.robotChannels.join(', ') || '—'}
          </Muted>
        </StepForm>
      )}
    </Modal>
  );
}

function Units() {
  const { t, label } = useT();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const q = useQuery(unitsQuery);
  if (readFailed(q)) return <PageError error={q.error} />;
  const create = (
    <Collapse
      items={[
        {
          key: 'new',
          label: t('web.admin.newUnit'),
          children: (
            <StepForm<Schemas['UnitCreate']>
              name="unit-create"
              testId="submit-new-unit"
              submitLabel={t('web.admin.create')}
              refusals="filing"
              send={(v) => ok(api.POST('/api/v1/units', { body: v }))}
              onDone={() => void qc.invalidateQueries({ queryKey: ['units'] })}
            >
              <Form.Item name="id" label={t('web.admin.unitId')} rules={req(t('web.form.required'))}>
                <Input />
              </Form.Item>
              <Form.Item name="nameZh" label={t('web.admin.nameZh')} rules={req(t('web.form.required'))}>
                <Input />
              </Form.Item>
              <Form.Item name="nameEn" label={t('web.admin.nameEn')} rules={req(t('web.form.required'))}>
                <Input />
              </Form.Item>
              <Form.Item name="kind" label={t('web.admin.kind')} rules={picked(t('web.form.required'))}>
                <Select options={UNIT_KINDS.map((k) => ({ value: k, label: label('unitKind', k) }))} />
              </Form.Item>
            </StepForm>
          ),
        },
      ]}
    />
  );
  return (
    <Section title={t('web.admin.units')} create={create}>
      <Card size="small">
        <List
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          renderItem={(u) => (
            <List.Item
              key={u.id}
              data-testid="unit-row"
              data-unit={u.id}
              actions={[
                <Button key="edit" size="small" onClick={() => setEditing(u.id)} data-testid="edit-unit">
                  {t('web.admin.editContacts')}
                </Button>,
              ]}
            >
              <Space orientation="vertical" size={0}>
                <span>
                  {u.nameZh} / {u.nameEn}
                </span>
                <Muted>
                  {u.id} · {label('unitKind', u.kind)}
                  {u.active ? '' : ` · ${t('web.admin.inactive')}`}
                </Muted>
              </Space>
            </List.Item>
          )}
        />
      </Card>
      {editing && <UnitEdit unitId={editing} onClose={() => setEditing(null)} />}
    </Section>
  );
}

// ---- users ------------------------------------------------------------------------------------

type User = Schemas['User'];

function RoleModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t, label } = useT();
  const units = useUnitOptions();
  const qc = useQueryClient();
  return (
    <Modal open title={t('web.admin.changeRole', { name: user.name })} onCancel={onClose} footer={null}>
      <StepForm<{ role: User['role']; unitId?: string }>
        name="user-role"
        testId="submit-role"
        submitLabel={t('web.admin.save')}
        refusals="filing"
        initialValues={{ role: user.role, unitId: user.unitId ?? undefined }}
        send={(v) =>
          ok(
            api.PATCH('/api/v1/users/{userId}', {
              params: { path: { userId: user.id } },
              body: { role: v.role, ...(v.unitId ? { unitId: v.unitId } : {}) },
            }),
          )
        }
        onDone={() => {
          void qc.invalidateQueries({ queryKey: ['users'] });
          onClose();
        }}
      >
        <Form.Item name="role" label={t('web.admin.role')} rules={picked(t('web.form.required'))}>
          <Select options={ROLES.map((r) => ({ value: r, label: label('role', r) }))} />
        </Form.Item>
        <Form.Item name="unitId" label={t('web.admin.unit')}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={units} />
        </Form.Item>
      </StepForm>
    </Modal>
  );
}

function Users() {
  const { t, label } = useT();
  const { message } = App.useApp();
  const { me } = useMe();
  const qc = useQueryClient();
  const unitName = useUnitName();
  const units = useUnitOptions();
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [roleOf, setRoleOf] = useState<User | null>(null);
  const q = useQuery({ queryKey: ['users'], queryFn: () => ok(api.GET('/api/v1/users')) });
  if (readFailed(q)) return <PageError error={q.error} />;
  const refused = (err: unknown) =>
    message.error(err instanceof ApiError ? err.message : t('web.error.unavailable'));
  const reset = async (u: User) => {
    try {
      const r = await ok(
        api.POST('/api/v1/users/{userId}/password-reset', { params: { path: { userId: u.id } } }),
      );
      setSecret({ title: t('web.admin.newPassword', { name: u.name }), value: r.password });
    } catch (err) {
      refused(err);
    }
  };
  const deactivate = async (u: User) => {
    try {
      await ok(
        api.PATCH('/api/v1/users/{userId}', { params: { path: { userId: u.id } }, body: { active: false } }),
      );
      message.success(t('web.admin.deactivated'));
      void qc.invalidateQueries({ queryKey: ['users'] });
    } catch (err) {
      refused(err);
    }
  };
  const create = (
    <Collapse
      items={[
        {
          key: 'new',
          label: t('web.admin.newUser'),
          children: (
            <StepForm<Schemas['UserCreate']>
              name="user-create"
              testId="submit-new-user"
              submitLabel={t('web.admin.create')}
              refusals="filing"
              initialValues={{ locale: 'zh-CN', isUnitHead: false }}
              send={(v) => ok(api.POST('/api/v1/users', { body: v }))}
              onDone={() => void qc.invalidateQueries({ queryKey: ['users'] })}
            >
              <Form.Item name="id" label={t('web.admin.userId')} rules={req(t('web.form.required'))}>
                <Input autoComplete="off" />
              </Form.Item>
              <Form.Item name="name" label={t('web.admin.name')} rules={req(t('web.form.required'))}>
                <Input autoComplete="off" />
              </Form.Item>
              <Form.Item name="email" label={t('web.admin.email')} rules={req(t('web.form.required'))}>
                <Input type="email" autoComplete="off" />
              </Form.Item>
              <Form.Item name="role" label={t('web.admin.role')} rules={picked(t('web.form.required'))}>
                <Select options={ROLES.map((r) => ({ value: r, label: label('role', r) }))} />
              </Form.Item>
              <Form.Item name="unitId" label={t('web.admin.unit')}>
                <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={units} />
              </Form.Item>
              <Form.Item name="isUnitHead" valuePropName="checked">
                <Checkbox>{t('web.admin.unitHead')}</Checkbox>
              </Form.Item>
              <Form.Item name="locale" label={t('web.language')}>
                <Select
                  options={[
                    { value: 'zh-CN', label: '中文' },
                    { value: 'en', label: 'English' },
                  ]}
                />
              </Form.Item>
            </StepForm>
          ),
        },
      ]}
    />
  );
  return (
    <Section title={t('web.admin.users')} create={create}>
      <Card size="small">
        <List
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          renderItem={(u) => (
            <List.Item key={u.id} data-testid="user-row" data-user={u.id}>
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap>
                  <span>{u.name}</span>
                  <Tag>{label('role', u.role)}</Tag>
                  {UNIT_ROLES.includes(u.role) || u.unitId ? <Muted>{unitName(u.unitId)}</Muted> : null}
                  {!u.active && <Tag color="default">{t('web.admin.inactive')}</Tag>}
                </Space>
                <Muted style={{ overflowWrap: 'anywhere' }}>
                  {u.id} · {u.email}
                </Muted>
                {u.active && u.id !== me?.userId && (
                  <Space wrap>
                    <Button size="small" onClick={() => setRoleOf(u)} data-testid="change-role">
                      {t('web.admin.role')}
                    </Button>
                    <Button size="small" onClick={() => void reset(u)} data-testid="reset-password">
                      {t('web.admin.resetPassword')}
                    </Button>
                    <Popconfirm
                      title={t('web.admin.deactivateQ', { name: u.name })}
                      onConfirm={() => void deactivate(u)}
                      okText={t('web.admin.deactivate')}
                      cancelText={t('web.admin.cancel')}
                    >
                      <Button size="small" danger data-testid="deactivate">
                        {t('web.admin.deactivate')}
                      </Button>
                    </Popconfirm>
                  </Space>
                )}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      {roleOf && <RoleModal user={roleOf} onClose={() => setRoleOf(null)} />}
      <OneTime secret={secret} onClose={() => setSecret(null)} />
    </Section>
  );
}

// ---- tokens -----------------------------------------------------------------------------------

function Tokens() {
  const { t, when } = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const q = useQuery({ queryKey: ['tokens'], queryFn: () => ok(api.GET('/api/v1/tokens')) });
  const users = useQuery({ queryKey: ['users'], queryFn: () => ok(api.GET('/api/v1/users')) });
  if (readFailed(q)) return <PageError error={q.error} />;
  const nameOf = (id: string) => users.data?.items.find((u) => u.id === id)?.name ?? id;
  const revoke = async (id: string) => {
    try {
      const r = await api.DELETE('/api/v1/tokens/{tokenId}', { params: { path: { tokenId: id } } });
      if (!r.response.ok) throw new ApiError({ ...(r.error as object), status: r.response.status });
      message.success(t('web.admin.revoked'));
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('web.error.unavailable'));
    }
  };
  const create = (
    <Collapse
      items={[
        {
          key: 'new',
          label: t('web.admin.newToken'),
          children: (
            <StepForm<Schemas['TokenCreate']>
              name="token-create"
              testId="submit-new-token"
              submitLabel={t('web.admin.issue')}
              refusals="filing"
              send={async (v) => {
                const r = await ok(api.POST('/api/v1/tokens', { body: v }));
                setSecret({ title: t('web.admin.newTokenFor', { name: nameOf(r.userId) }), value: r.token });
                return r;
              }}
              onDone={() => void qc.invalidateQueries({ queryKey: ['tokens'] })}
            >
              <Form.Item
                name="userId"
                label={t('web.admin.tokenUser')}
                rules={picked(t('web.form.required'))}
              >
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  options={(users.data?.items ?? [])
                    .filter((u) => u.active)
                    .map((u) => ({ value: u.id, label: `${u.name} (${u.id})` }))}
                />
              </Form.Item>
              <Form.Item name="label" label={t('web.admin.tokenLabel')}>
                <Input />
              </Form.Item>
              <Form.Item name="expiresInDays" label={t('web.admin.expiresInDays')}>
                <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </StepForm>
          ),
        },
      ]}
    />
  );
  return (
    <Section title={t('web.admin.tokens')} create={create}>
      <Card size="small">
        <List
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          renderItem={(k) => (
            <List.Item key={k.id} data-testid="token-row" data-token={k.id} data-label={k.label}>
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap>
                  <span>{k.label}</span>
                  <Muted>{nameOf(k.userId)}</Muted>
                  <code>{k.prefix}…</code>
                  {k.revokedAt ? (
                    <Tag data-testid="token-state">{t('web.admin.revoked')}</Tag>
                  ) : (
                    <Tag color="green" data-testid="token-state">
                      {t('web.admin.live')}
                    </Tag>
                  )}
                </Space>
                <Muted>
                  {t('web.admin.created')} {when(k.createdAt)}
                  {k.expiresAt ? ` · ${t('web.admin.expires')} ${when(k.expiresAt)}` : ''}
                  {k.lastUsedAt ? ` · ${t('web.admin.lastUsed')} ${when(k.lastUsedAt)}` : ''}
                </Muted>
                {!k.revokedAt && (
                  <Popconfirm
                    title={t('web.admin.revokeQ')}
                    onConfirm={() => void revoke(k.id)}
                    okText={t('web.admin.revoke')}
                    cancelText={t('web.admin.cancel')}
                  >
                    <Button size="small" danger data-testid="revoke-token">
                      {t('web.admin.revoke')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <OneTime secret={secret} onClose={() => setSecret(null)} />
    </Section>
  );
}

export default function Admin() {
  const { section } = useParams();
  if (section === 'units') return <Units />;
  if (section === 'users') return <Users />;
  if (section === 'tokens') return <Tokens />;
  if (!section) return <Navigate to="/admin/users" replace />;
  return <PageError error={new ApiError({ status: 404 })} />;
}
