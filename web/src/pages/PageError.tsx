/** What a page shows when its data could not be read: "not found" for a 404, a plain error otherwise. */
import { Alert } from 'antd';
import { ApiError } from '../api/client';
import { useT } from '../i18n';
import { lazy, Suspense } from 'react';

const NotFound = lazy(() => import('./NotFound'));

export function PageError({ error }: { error: unknown }) {
  const { t } = useT();
  if (error instanceof ApiError && error.status === 404)
    return (
      <Suspense>
        <NotFound />
      </Suspense>
    );
  if (error instanceof ApiError && error.status === 403)
    return <Alert type="warning" showIcon title={t('web.error.forbidden')} />;
  return <Alert type="error" showIcon title={t('web.error.unavailable')} />;
}

/**
 * Whether a page shows its error page instead of itself: only when it has nothing to show. A refresh
 * that fails keeps the page as last read (and a form being filled); rows kept from the previous
 * filter while a new one loads are not an answer to the new one.
 */
export const readFailed = (q: { error: unknown; data: unknown; isPlaceholderData: boolean }) =>
  q.error != null && (q.data === undefined || q.isPlaceholderData);
