import { StrictMode } from 'react';
import './index.css';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { LocaleProvider } from './app/locale';
import { preloadFor, router } from './app/routes';
import { ApiError, setUnauthorizedHandler } from './api/client';
import { ME_KEY, fetchMe } from './app/session';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 404/403 is an answer, not a hiccup: do not ask again.
      retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
      refetchOnWindowFocus: false,
    },
  },
});
// An expired or revoked session: forget who was signed in; the guard sends them to sign-in and back.
setUnauthorizedHandler(() => {
  if (queryClient.getQueryData(ME_KEY)) queryClient.setQueryData(ME_KEY, null);
});

// The session check and the first page's chunks load side by side, not one after another.
void queryClient.prefetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity });
preloadFor(window.location.pathname);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <RouterProvider router={router} />
      </LocaleProvider>
    </QueryClientProvider>
  </StrictMode>,
);
