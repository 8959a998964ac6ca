/**
 * Whether the screen is phone-wide (narrower than antd's `md` breakpoint, 768 px), known on the first
 * render: antd's Grid.useBreakpoint() answers {} until an effect runs, so every page drew its phone
 * layout first and then its desktop one.
 */
import { useSyncExternalStore } from 'react';

const PHONE = '(max-width: 767.98px)';

function subscribe(onChange: () => void): () => void {
  const mq = window.matchMedia(PHONE);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

const isPhone = () => window.matchMedia(PHONE).matches;

export function useIsPhone(): boolean {
  return useSyncExternalStore(subscribe, isPhone, () => false);
}
