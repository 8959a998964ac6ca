/**
 * The reporter's identity on the clue page (coordinators only): kept confidential until a coordinator
 * gives a reason; the API writes the audit row before it answers.
 */
import { useState } from 'react';
import { Button, Card, Descriptions, Form, Input } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { api, ok, type Schemas } from '../api/client';
import { StepForm, req } from '../app/forms';
import { Muted } from '../app/text';
import { useT } from '../i18n';

type Reporter = Schemas['UnmaskedReporter']['reporter'];

export function ReporterUnmask({ clueId }: { clueId: string }) {
  const { t } = useT();
  const [asking, setAsking] = useState(false);
  const [shown, setShown] = useState<{ reporter: Reporter } | null>(null);
  return (
    <Card title={t('web.unmask.title')} size="small" data-testid="reporter">
      {shown ? (
        shown.reporter ? (
          <Descriptions
            column={1}
            size="small"
            data-testid="reporter-identity"
            items={[
              { key: 'name', label: t('web.intake.reporterName'), children: shown.reporter.name },
              { key: 'contact', label: t('web.intake.reporterContact'), children: shown.reporter.contact },
            ]}
          />
        ) : (
          <Muted>{t('web.unmask.none')}</Muted>
        )
      ) : asking ? (
        <StepForm
          name="unmask"
          testId="submit-unmask"
          submitLabel={t('web.unmask.submit')}
          onDone={() => setAsking(false)}
          send={async (body: { reason: string }) =>
            setShown(
              await ok(
                api.POST('/api/v1/clues/{id}/reporter/unmask', { params: { path: { id: clueId } }, body }),
              ),
            )
          }
        >
          <Muted>{t('web.unmask.note')}</Muted>
          <Form.Item
            name="reason"
            label={t('web.unmask.reason')}
            style={{ marginTop: 8 }}
            rules={[...req(t('web.form.required')), { min: 5, message: t('web.unmask.reasonShort') }]}
          >
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </StepForm>
      ) : (
        <>
          <Muted>{t('web.unmask.confidential')}</Muted>
          <div style={{ marginTop: 8 }}>
            <Button icon={<EyeOutlined />} onClick={() => setAsking(true)} data-testid="open-unmask">
              {t('web.unmask.open')}
            </Button>
          </div>
        </>
      )}
    </Card>
  );
}
