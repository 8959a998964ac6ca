/** Unit names in the reader's language (GET /api/v1/units, read once). */
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, ok } from '../api/client';
import { useT } from '../i18n';

export function useUnitName() {
  const { locale } = useT();
  const q = useQuery({
    queryKey: ['units'],
    queryFn: () => ok(api.GET('/api/v1/units')),
    staleTime: 10 * 60_000,
  });
  return useCallback(
    (id: string | null | undefined) => {
      if (!id) return '';
      const u = q.data?.items.find((x) => x.id === id);
      return u ? (locale === 'en' ? u.nameEn : u.nameZh) : id;
    },
    [q.data, locale],
  );
}
