/** Pages of other roles that the workbench does not offer yet: says so plainly, with the way back. */
import { Link } from 'react-router';
import { Button, Result } from 'antd';
import { useT } from '../i18n';

export default function NotYet({ page }: { page: 'reviews' | 'referrals' | 'admin' | 'escalations' }) {
  const { t } = useT();
  return (
    <Result
      status="info"
      title={t(`web.notYet.${page}`)}
      subTitle={t('web.notYet.detail')}
      extra={
        <Link to="/">
          <Button>{t('web.notFound.home')}</Button>
        </Link>
      }
    />
  );
}
