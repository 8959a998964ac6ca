/**
 * Secondary text and page headings without antd Typography (which brings tooltips and editors).
 * Colours are antd's CSS variables (set on every antd component's root; the default after the comma
 * for text outside one): no theme hook per element, which cost a token lookup per muted line of a list.
 */
import type { CSSProperties, ReactNode } from 'react';

export function Muted({ children, style }: { children: ReactNode; style?: CSSProperties }) {
  return (
    <span style={{ color: 'var(--ant-color-text-secondary, rgba(0, 0, 0, 0.65))', ...style }}>
      {children}
    </span>
  );
}

export function PageTitle({ children }: { children: ReactNode }) {
  return (
    <h1
      style={{
        fontSize: 20,
        fontWeight: 600,
        margin: 0,
        color: 'var(--ant-color-text-heading, rgba(0, 0, 0, 0.88))',
        overflowWrap: 'anywhere',
      }}
    >
      {children}
    </h1>
  );
}
