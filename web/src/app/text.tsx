/** Secondary text and page headings without antd Typography (which brings tooltips and editors). */
import type { CSSProperties, ReactNode } from 'react';
import { theme } from 'antd';

export function Muted({ children, style }: { children: ReactNode; style?: CSSProperties }) {
  const { token } = theme.useToken();
  return <span style={{ color: token.colorTextSecondary, ...style }}>{children}</span>;
}

export function PageTitle({ children }: { children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <h1
      style={{
        fontSize: 20,
        fontWeight: 600,
        margin: 0,
        color: token.colorTextHeading,
        overflowWrap: 'anywhere',
      }}
    >
      {children}
    </h1>
  );
}
