/** Reports for the District Office and leadership: the district summary report of a campaign (notice VI.4). */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { AppContext } from '../../src/context';
import {
  assembleDistrictSummary,
  DOCX_TYPE,
  ReportNotFound,
  toDocx,
  toHtml,
} from '../../src/reports/district-summary';
import { notFound } from '../problem';
import { defineRoute, parsedQuery, type RouteDef } from '../registry';

const SummaryQuery = z
  .object({
    format: z.enum(['docx', 'html', 'json']).default('docx'),
    lang: z.enum(['zh-CN', 'en']).optional(),
  })
  .strict();

export function reportRoutes(ctx: AppContext): RouteDef[] {
  const em = () => ctx.orm.em.fork() as EntityManager;
  return [
    defineRoute({
      method: 'get',
      path: '/campaigns/:id/district-summary',
      summary:
        'District summary report of a campaign (notice VI.4) from the ledger and the units’ summary reports: ?format=docx (default) | html | json, ?lang=zh-CN (default) | en',
      tag: 'reports',
      roles: ['coordinator', 'leader'],
      ownership: 'campaign',
      query: SummaryQuery,
      handler: async (req, res) => {
        const q = parsedQuery<z.infer<typeof SummaryQuery>>(req);
        const id = String(req.params.id);
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw notFound('campaign');
        const locale = q.lang ?? 'zh-CN';
        let s;
        try {
          s = await assembleDistrictSummary(em(), id, locale);
        } catch (err) {
          if (err instanceof ReportNotFound) throw notFound('campaign');
          throw err;
        }
        if (q.format === 'json') return s;
        res.setHeader('Cache-Control', 'no-store');
        if (q.format === 'html') {
          res.type('html').send(toHtml(s));
          return undefined;
        }
        const name = `${locale === 'en' ? 'district-summary' : '区级总结报告'}-${s.campaign.id}.docx`;
        res.setHeader('Content-Type', DOCX_TYPE);
        res.setHeader(
          'Content-Disposition',
          `attachment; filename="district-summary-${s.campaign.id}.docx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        );
        res.send(await toDocx(s));
        return undefined;
      },
    }),
  ];
}
