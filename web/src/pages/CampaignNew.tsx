/**
 * Campaign set-up (coordinator): POST /campaigns with the notice's dates for a year, or explicit phase
 * dates, and the units that take part (none chosen: every active town, community and department but
 * the public security organ, as the API does). A started campaign opens its progress page.
 */
import { useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Card, DatePicker, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, ok } from '../api/client';
import { unitsQuery } from '../app/queries';
import { StepForm, picked } from '../app/forms';
import { Muted, PageTitle } from '../app/text';
import { useT } from '../i18n';
import { pathTo } from '../../../src/links';

interface CampaignFields {
  name?: string;
  year?: number;
  ownDates?: boolean;
  mobilization?: [Dayjs, Dayjs];
  implementation?: [Dayjs, Dayjs];
  summaryReportDue?: Dayjs;
  unitIds?: string[];
}

/** A picked day read as Beijing time (the notice's deadlines are Beijing time). */
const beijing = (d: Dayjs, endOfDay = false) =>
  `${d.format('YYYY-MM-DD')}T${endOfDay ? '23:59:59' : '00:00:00'}+08:00`;

export default function CampaignNew() {
  const { t, locale } = useT();
  const navigate = useNavigate();
  const created = useRef<string | null>(null);
  const units = useQuery(unitsQuery);
  const unitOptions = (units.data?.items ?? [])
    .filter((u) => u.active && u.kind !== 'district_office')
    .map((u) => ({ value: u.id, label: locale === 'en' ? u.nameEn : u.nameZh }));
  const must = picked(t('web.form.required'));

  return (
    <Card title={<PageTitle>{t('web.campaignNew.title')}</PageTitle>}>
      <StepForm
        name="campaign-new"
        testId="submit-campaign"
        submitLabel={t('web.campaignNew.submit')}
        refusals="filing"
        initialValues={{ year: new Date().getFullYear(), ownDates: false }}
        onDone={() => {
          if (created.current) void navigate(pathTo({ page: 'campaign', campaignId: created.current }));
        }}
        send={async (v: CampaignFields) => {
          const r = await ok(
            api.POST('/api/v1/campaigns', {
              body: {
                ...(v.name?.trim() ? { name: v.name.trim() } : {}),
                ...(v.ownDates && v.mobilization && v.implementation && v.summaryReportDue
                  ? {
                      phases: {
                        mobilization: {
                          start: beijing(v.mobilization[0]),
                          end: beijing(v.mobilization[1], true),
                        },
                        implementation: {
                          start: beijing(v.implementation[0]),
                          end: beijing(v.implementation[1], true),
                        },
                        summaryReportDue: beijing(v.summaryReportDue, true),
                      },
                    }
                  : { year: v.year }),
                ...(v.unitIds && v.unitIds.length > 0 ? { unitIds: v.unitIds } : {}),
              },
            }),
          );
          created.current = r.id;
        }}
      >
        <Form.Item name="name" label={t('web.campaignNew.name')} extra={t('web.campaignNew.nameHelp')}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="ownDates" label={t('web.campaignNew.ownDates')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.ownDates !== b.ownDates}>
          {({ getFieldValue }) =>
            getFieldValue('ownDates') ? (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Form.Item name="mobilization" label={t('web.campaignNew.mobilization')} rules={must}>
                  <DatePicker.RangePicker />
                </Form.Item>
                <Form.Item name="implementation" label={t('web.campaignNew.implementation')} rules={must}>
                  <DatePicker.RangePicker />
                </Form.Item>
                <Form.Item name="summaryReportDue" label={t('web.campaignNew.reportDue')} rules={must}>
                  <DatePicker />
                </Form.Item>
              </Space>
            ) : (
              <Form.Item
                name="year"
                label={t('web.campaignNew.year')}
                extra={t('web.campaignNew.yearHelp')}
                rules={must}
              >
                <InputNumber min={2000} max={2100} precision={0} />
              </Form.Item>
            )
          }
        </Form.Item>
        <Form.Item name="unitIds" label={t('web.campaignNew.units')}>
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={unitOptions}
            loading={units.isLoading}
            placeholder={t('web.campaignNew.unitsDefault')}
          />
        </Form.Item>
        <Muted>{t('web.campaignNew.unitsHelp')}</Muted>
        <div style={{ height: 16 }} />
      </StepForm>
    </Card>
  );
}
