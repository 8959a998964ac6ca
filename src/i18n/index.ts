/**
 * The message catalogue for notifications, UI labels, ledger exports and reports.
 *
 * Messages live in per-locale JSON files, `locales/<zh-CN|en>/<namespace>.json`, written in ICU
 * MessageFormat (`{name}`, `{n, plural, one {# day} other {# days}}`) and formatted by FormatJS
 * `intl-messageformat`, the formatter react-intl uses, so the web app can load the same files.
 * Keys are flat and carry their namespace prefix (`ledger.col.seq`). A namespace is added with one
 * line in `locales/en/index.ts` and one in `locales/zh-CN/index.ts`.
 *
 * The English catalogue is the source of truth for the key set: `MessageKey` is derived from it, and
 * the zh-CN catalogue must have exactly the same keys (a type error otherwise, see below).
 *
 * No Node built-ins and no I/O (the JSON is imported statically), so bundlers and workflow code can
 * import it. Label keys follow `<kind>.<enum value>`, see `LABEL_KINDS` / `label()`.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import {
  CLUE_STAGES,
  GRADES,
  KEY_AREAS,
  KEY_BEHAVIOURS,
  NATURES,
  PUBLIC_OPINION_LEVELS,
  ROLES,
  SOURCE_CHANNELS,
  STABILITY_RISK_LEVELS,
  STRATEGIES,
  SUBJECT_KINDS,
  UNIT_KINDS,
  WORK_INFORMATION_TYPES,
} from '../domain/enums';
import type { Locale } from '../domain/enums';
import * as enNamespaces from './locales/en';
import * as zhNamespaces from './locales/zh-CN';

export type { Locale } from '../domain/enums';

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
/** All namespaces of one locale merged into one flat catalogue type. */
type Merged<NS> = UnionToIntersection<NS[keyof NS]>;

export type MessageKey = keyof Merged<typeof enNamespaces> & string;
type ZhKey = keyof Merged<typeof zhNamespaces> & string;

// Compile-time guarantee that zh-CN and en have the same keys (the unit test checks it again at run time).
type MissingInZh = Exclude<MessageKey, ZhKey>;
type ExtraInZh = Exclude<ZhKey, MessageKey>;
const _sameKeys: [MissingInZh, ExtraInZh] extends [never, never]
  ? true
  : { missingInZh: MissingInZh; extraInZh: ExtraInZh } = true;
void _sameKeys;

function merge(namespaces: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, catalogue] of Object.entries(namespaces)) {
    if (name === 'default' || typeof catalogue !== 'object' || catalogue === null) continue;
    for (const [key, message] of Object.entries(catalogue as Record<string, unknown>)) {
      if (key in out) throw new Error(`i18n: key ${key} is defined twice (namespace ${name})`);
      if (typeof message === 'string') out[key] = message;
    }
  }
  return out;
}

export const messages: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = {
  'zh-CN': merge(zhNamespaces) as Record<MessageKey, string>,
  en: merge(enNamespaces) as Record<MessageKey, string>,
};

export const DEFAULT_LOCALE: Locale = 'zh-CN';

type Element = ReturnType<IntlMessageFormat['getAst']>[number];
type Values = Record<string, string | number>;

interface Compiled {
  format: IntlMessageFormat;
  /** Argument names in order of first appearance. */
  args: string[];
  /** The text when formatted without params (labels are formatted this way very often). */
  bare?: string;
}

// Element types of the ICU AST (@formatjs/icu-messageformat-parser TYPE): 0 literal, 1 argument,
// 2 number, 3 date, 4 time, 5 select, 6 plural, 7 pound (#), 8 tag.
function collectArgs(elements: Element[], out: string[]): string[] {
  for (const el of elements) {
    if (el.type >= 1 && el.type <= 6 && 'value' in el && !out.includes(el.value)) out.push(el.value);
    if ('options' in el) for (const o of Object.values(el.options)) collectArgs(o.value, out);
    if ('children' in el) collectArgs(el.children, out);
  }
  return out;
}

function compile(locale: string, message: string): Compiled {
  // ignoreTag: '<' is plain text in our messages, not a rich-text tag.
  const format = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true });
  return { format, args: collectArgs(format.getAst(), []) };
}

const compiled = new Map<string, Compiled>();

/**
 * Translate `key` into `locale`, formatting the ICU message with `params`. A placeholder without a
 * matching param is left as written (`{name}`), so a missing param is visible rather than an error.
 * Unknown locales fall back to zh-CN; unknown keys (only possible from untyped callers) return the key.
 */
export function t(locale: Locale, key: MessageKey, params?: Values): string {
  const loc: Locale = messages[locale] ? locale : DEFAULT_LOCALE;
  const message = messages[loc][key];
  if (message === undefined) return key;
  const cacheKey = `${loc}\u0000${key}`;
  let c = compiled.get(cacheKey);
  if (!c) compiled.set(cacheKey, (c = compile(loc, message)));
  if (!params && c.bare !== undefined) return c.bare;
  const values: Values = {};
  for (const name of c.args)
    values[name] = params && Object.prototype.hasOwnProperty.call(params, name) ? params[name]! : `{${name}}`;
  const text = String(c.format.format(values));
  if (!params) c.bare = text;
  return text;
}

/** The argument names a message uses (simple, plural and select), in order of first appearance. */
export function placeholders(message: string): string[] {
  return compile(DEFAULT_LOCALE, message).args;
}

/** Enumerations that have a label in the catalogue, keyed by key prefix. */
export const LABEL_KINDS = {
  stage: CLUE_STAGES,
  nature: NATURES,
  strategy: STRATEGIES,
  grade: GRADES,
  sourceChannel: SOURCE_CHANNELS,
  keyArea: KEY_AREAS,
  keyBehaviour: KEY_BEHAVIOURS,
  subjectKind: SUBJECT_KINDS,
  publicOpinion: PUBLIC_OPINION_LEVELS,
  stabilityRisk: STABILITY_RISK_LEVELS,
  unitKind: UNIT_KINDS,
  role: ROLES,
  workInformation: WORK_INFORMATION_TYPES,
} as const;
export type LabelKind = keyof typeof LABEL_KINDS;
export type LabelValue<K extends LabelKind> = (typeof LABEL_KINDS)[K][number];

// Compile-time guarantee that every enum value has a label key.
type MissingLabelKeys = {
  [K in LabelKind]: Exclude<`${K}.${LabelValue<K>}`, MessageKey>;
}[LabelKind];
const _allLabelsPresent: [MissingLabelKeys] extends [never] ? true : MissingLabelKeys = true;
void _allLabelsPresent;

/** Label for an enum value, e.g. `label('zh-CN', 'stage', 'verifying')` → '核查中'. */
export function label<K extends LabelKind>(locale: Locale, kind: K, value: LabelValue<K>): string {
  return t(locale, `${kind}.${value}` as MessageKey);
}
