/**
 * A plain semantic table styled like Ant Design's, for read-only lists: antd's Table brings sorting,
 * filtering trees and virtual lists this workbench does not use, at ~100 KB gzip. Scrolls inside its
 * card, never the page. Colours are antd's CSS variables (no theme hook).
 */
import type { ReactNode } from 'react';

export interface Column<T> {
  key: string;
  title: ReactNode;
  render: (row: T) => ReactNode;
}

export function SimpleTable<T>(props: {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  rowProps?: (row: T) => Record<string, string>;
  caption?: string;
}) {
  const cell = {
    padding: '12px 8px',
    borderBottom: '1px solid var(--ant-color-split, rgba(5, 5, 5, 0.06))',
    textAlign: 'left' as const,
  };
  return (
    <div style={{ overflowX: 'auto' }}>
      <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 'var(--ant-font-size, 14px)' }}>
        {props.caption && (
          <caption style={{ textAlign: 'left', captionSide: 'top' }}>{props.caption}</caption>
        )}
        <thead>
          <tr style={{ background: 'var(--ant-color-fill-alter, rgba(0, 0, 0, 0.02))' }}>
            {props.columns.map((c) => (
              <th key={c.key} scope="col" style={{ ...cell, fontWeight: 600, whiteSpace: 'nowrap' }}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={props.rowKey(r)} {...props.rowProps?.(r)}>
              {props.columns.map((c) => (
                <td key={c.key} style={cell}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
