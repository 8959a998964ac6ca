/**
 * Import (coordinator): a CSV or XLSX file of clues to POST /clues/import; how many rows were
 * registered, and every refused row with its line, column and what is wrong, as the API says it.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Empty, Space, Tag } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { api, ApiError, ok, type Schemas } from '../api/client';
import { Muted, PageTitle } from '../app/text';
import { useT } from '../i18n';
import { pathTo } from '../../../src/links';
import { SimpleTable } from './SimpleTable';

type Report = Schemas['ClueImportReport'];
type Row = Report['rows'][number];

/** The file's bytes as base64 (the API takes the file inside JSON). */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('unreadable file'));
    r.readAsDataURL(file);
  });
}

interface BadRow {
  key: string;
  row: number;
  line: number;
  column: string;
  message: string;
}

export default function ImportPage() {
  const { t, locale } = useT();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const [refused, setRefused] = useState<string | null>(null);

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setRefused(null);
    setReport(null);
    try {
      const contentBase64 = await base64Of(file);
      // Row errors in the reader's language, whatever the browser's own.
      setReport(
        await ok(
          api.POST('/api/v1/clues/import', {
            body: { filename: file.name, contentBase64 },
            headers: { 'accept-language': locale },
          }),
        ),
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 422)
        setRefused(err.problem.errors?.[0]?.message ?? err.problem.detail ?? t('web.form.invalid'));
      else if (err instanceof ApiError && err.status === 413) setRefused(t('web.import.tooLarge'));
      else message.error(t('web.error.unavailable'));
    } finally {
      setBusy(false);
    }
  };

  const bad: BadRow[] = (report?.rows ?? [])
    .filter((r) => r.status === 'invalid')
    .flatMap((r) =>
      (r.errors ?? []).map((e, i) => ({
        key: `${r.row}:${i}`,
        row: r.row,
        line: r.line,
        column: e.column ?? e.field,
        message: e.message,
      })),
    );
  const registered: Row[] = (report?.rows ?? []).filter((r) => r.status === 'registered');

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={<PageTitle>{t('web.import.title')}</PageTitle>}>
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Muted>{t('web.import.help')}</Muted>
          <label htmlFor="import-file" style={{ fontWeight: 600 }}>
            {t('web.import.file')}
          </label>
          <input
            id="import-file"
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            data-testid="import-file"
            style={{ maxWidth: '100%' }}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <Button
            type="primary"
            icon={<UploadOutlined />}
            disabled={!file}
            loading={busy}
            onClick={() => void upload()}
            data-testid="submit-import"
          >
            {t('web.import.submit')}
          </Button>
          {refused && <Alert type="error" showIcon title={refused} data-testid="import-refused" />}
        </Space>
      </Card>
      {report && (
        <Card title={t('web.import.result', { name: report.file.name })} data-testid="import-report">
          <Space wrap style={{ marginBottom: 16 }}>
            <Tag color="green" data-testid="import-registered" data-count={report.summary.registered}>
              {t('web.import.registered', { n: report.summary.registered })}
            </Tag>
            <Tag color={report.summary.invalid ? 'red' : 'default'} data-testid="import-invalid">
              {t('web.import.invalid', { n: report.summary.invalid })}
            </Tag>
            <Tag>{t('web.import.already', { n: report.summary.already_imported })}</Tag>
            <Tag>{t('web.import.sameInFile', { n: report.summary.duplicate_in_file })}</Tag>
            {report.summary.linkedToOpenClue > 0 && (
              <Tag color="gold">{t('web.import.linked', { n: report.summary.linkedToOpenClue })}</Tag>
            )}
          </Space>
          {bad.length > 0 ? (
            <SimpleTable<BadRow>
              caption={t('web.import.badRows')}
              rows={bad}
              rowKey={(r) => r.key}
              rowProps={(r) => ({ 'data-testid': 'import-error', 'data-row': String(r.row) })}
              columns={[
                { key: 'row', title: t('web.import.row'), render: (r) => r.row },
                { key: 'line', title: t('web.import.line'), render: (r) => r.line },
                { key: 'column', title: t('web.import.column'), render: (r) => r.column },
                { key: 'message', title: t('web.import.message'), render: (r) => r.message },
              ]}
            />
          ) : (
            <Empty description={t('web.import.noBadRows')} />
          )}
          {registered.length > 0 && (
            <div style={{ marginTop: 16 }}>
              <strong>{t('web.import.registeredList')}</strong>
              <ul style={{ paddingLeft: 18 }}>
                {registered.map((r) => (
                  <li key={r.row} data-testid="import-registered-row">
                    {r.clueId ? <Link to={pathTo({ page: 'clue', clueId: r.clueId })}>{r.ref}</Link> : r.ref}
                    {r.grade ? ` · ${r.grade}` : ''}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </Card>
      )}
    </Space>
  );
}
