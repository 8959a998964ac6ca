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

// The session check starts at once, beside the router's loading of the first page's chunks and data.
void queryClient.prefetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <RouterProvider router={router} />
      </LocaleProvider>
    </QueryClientProvider>
  </StrictMode>,
);
