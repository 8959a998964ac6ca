/**
 * Sign-in with username and password; afterwards back to the page that was asked for. The first
 * page most people load: plain elements instead of Card and Typography keep its JavaScript small.
 */
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Form, Input, Segmented, theme } from 'antd';
import { ApiError } from '../api/client';
import { homeOf, safeNext, useMe, useSignIn } from '../app/session';
import { useLocale } from '../app/locale';
import { useT } from '../i18n';

interface Fields {
  username: string;
  password: string;
}

/** When a 429 is the short pause after a failed sign-in (`sign-in-backoff`), the time it ends. */
function backoffUntil(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.status !== 429) return null;
  if (!String(err.problem.type ?? '').endsWith('/sign-in-backoff')) return null;
  const at = err.problem.retryAt;
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : null;
}

/** Longest pause the page sits out for the officer (the first pauses after a wrong password are 1–4 s). */
const WAIT_OUT_MS = 5_000;

/**
 * Someone who types the right password quickly after a wrong one meets the server's pause: the page
 * waits for it to end and sends the sign-in again (the button stays busy), instead of an error. Longer
 * pauses are shown with the time they end.
 */
async function signInWaitingOutBackoff<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      const retryAt = backoffUntil(err);
      const wait = retryAt ? Date.parse(retryAt) - Date.now() + 100 : Infinity;
      if (tries >= 2 || wait > WAIT_OUT_MS) throw err;
      await new Promise((r) => setTimeout(r, Math.max(wait, 100)));
    }
  }
}

export default function SignIn() {
  const { t, when } = useT();
  const { locale, setLocale } = useLocale();
  const { me } = useMe();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { token } = theme.useToken();

  if (me) return <Navigate to={next ?? homeOf(me.role)} replace />;

  const submit = async (f: Fields) => {
    setBusy(true);
    setError(null);
    try {
      const who = await signInWaitingOutBackoff(() => signIn(f.username.trim(), f.password));
      void navigate(next ?? homeOf(who.role), { replace: true });
    } catch (err) {
      const retryAt = backoffUntil(err);
      if (retryAt) {
        setError(t('web.signIn.wait', { until: when(retryAt) }));
      } else if (err instanceof ApiError && (err.status === 423 || err.status === 429)) {
        // The API names the end of a lockout `lockedUntil` (429 account-locked).
        const raw = err.problem.lockedUntil ?? err.problem.until;
        const until = typeof raw === 'string' ? raw : null;
        setError(until ? t('web.signIn.lockedUntil', { until: when(until) }) : t('web.signIn.locked'));
      } else if (err instanceof ApiError && (err.status === 401 || err.status === 422)) {
        setError(t('web.signIn.wrong'));
      } else {
        setError(t('web.error.unavailable'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: '#f5f5f5',
        padding: 12,
      }}
    >
      <section
        style={{
          width: '100%',
          maxWidth: 400,
          background: token.colorBgContainer,
          borderRadius: token.borderRadiusLG,
          padding: 24,
          boxShadow: token.boxShadowTertiary,
        }}
      >
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 8 }}>
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
        </div>
        <h1 style={{ fontSize: 22, fontWeight: 600, margin: '0 0 8px', color: token.colorText }}>
          {t('web.title')}
        </h1>
        <p style={{ color: token.colorTextSecondary, margin: '0 0 16px' }}>{t('web.signIn.intro')}</p>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            role="alert"
            data-testid="sign-in-error"
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<Fields> layout="vertical" onFinish={(f) => void submit(f)} requiredMark={false} name="sign-in">
          <Form.Item
            label={t('web.signIn.username')}
            name="username"
            rules={[{ required: true, message: t('web.signIn.usernameRequired') }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('web.signIn.password')}
            name="password"
            rules={[{ required: true, message: t('web.signIn.passwordRequired') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('web.signIn.submit')}
          </Button>
        </Form>
      </section>
    </main>
  );
}
