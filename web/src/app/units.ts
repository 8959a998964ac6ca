/** Unit names in the reader's language (GET /api/v1/units, read once). */
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { unitsQuery } from './queries';
import { useT } from '../i18n';

export function useUnitName() {
  const { locale } = useT();
  const q = useQuery(unitsQuery);
  return useCallback(
    (id: string | null | undefined) => {
      if (!id) return '';
      const u = q.data?.items.find((x) => x.id === id);
      return u ? (locale === 'en' ? u.nameEn : u.nameZh) : id;
    },
    [q.data, locale],
  );
}
