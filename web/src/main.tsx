import { StrictMode } from 'react';
import 'antd/dist/antd.css';
import './index.css';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { LocaleProvider } from './app/locale';
import { router } from './app/routes';
import { setUnauthorizedHandler } from './api/client';
import { queryClient } from './app/queries';
import { ME_KEY, fetchMe } from './app/session';

// An expired or revoked session: forget who was signed in; the guard sends them to sign-in and back.
setUnauthorizedHandler(() => {
  if (queryClient.getQueryData(ME_KEY)) queryClient.setQueryData(ME_KEY, null);
});

/** Resolves once the router has loaded the first page's chunks (its route `lazy`). */
const routerReady = new Promise<void>((resolve) => {
  if (router.state.initialized) return resolve();
  const stop = router.subscribe((state) => {
    if (!state.initialized) return;
    stop();
    resolve();
  });
});

// The session check and the first page's chunks and data load side by side; the first render waits
// for the chunks and the session, so it draws the frame and the page at once, as one urgent render
// (the router's own updates are transitions, drawn in 5 ms slices behind a spinner).
// (A function, not a top-level await, which would change how the bundle is split.)
async function start(): Promise<void> {
  await Promise.all([
    routerReady,
    queryClient.prefetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity }),
  ]);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <LocaleProvider>
          <RouterProvider router={router} />
        </LocaleProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
void start();
