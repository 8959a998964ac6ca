/**
 * One "not found" for every miss: an unknown address, a clue that does not exist and another unit's
 * clue look exactly the same (the API answers 404 for both and the page must not tell them apart).
 */
import { Link } from 'react-router';
import { Button, Result } from 'antd';
import { useT } from '../i18n';

export default function NotFound() {
  const { t } = useT();
  return (
    <Result
      status="404"
      title={t('web.notFound.title')}
      subTitle={t('web.notFound.detail')}
      data-testid="not-found"
      extra={
        <Link to="/">
          <Button type="primary">{t('web.notFound.home')}</Button>
        </Link>
      }
    />
  );
}
