import { z } from 'zod';

/** The standard OpenTelemetry variables the kit reads (the OTLP exporter also reads its own, e.g. headers). */
export const OTEL_SETTINGS = [
  'OTEL_SDK_DISABLED',
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
] as const;
export type OtelSetting = (typeof OTEL_SETTINGS)[number];

export const TRACE_EXPORTERS = ['otlp', 'console'] as const;
export type TraceExporter = (typeof TRACE_EXPORTERS)[number];

export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

/** Tracing as the settings ask for it; `FleetConfig.tracing` is undefined when they do not. */
export interface TracingConfig {
  readonly exporters: readonly TraceExporter[];
  /** Where OTLP goes: the traces endpoint as given, or `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
  readonly otlpTracesUrl: string;
  readonly serviceName: string;
  /** From `OTEL_RESOURCE_ATTRIBUTES`; `service.name` is `serviceName`'s. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampler: TraceSampler;
  /** The ratio of the `*traceidratio` samplers, 0 to 1. */
  readonly samplerRatio: number;
}

export type TracingProblem = { readonly setting: OtelSetting; readonly message: string };

/** An endpoint URL may carry credentials: never echoed. */
const SECRET_SETTINGS: ReadonlySet<OtelSetting> = new Set([
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
]);

/** What the OTLP/HTTP exporter the kit ships speaks: JSON (the collector's port 4318 takes it). */
const OTLP_PROTOCOL = 'http/json';
/** The specification's default for OTLP over HTTP. */
const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';
const TRACES_PATH = 'v1/traces';

const httpUrl = z
  .string()
  .trim()
  .refine(
    (url) => URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol),
    'must be an http:// or https:// URL, e.g. http://otel-collector:4318',
  );

const protocol = z
  .string()
  .trim()
  .refine(
    (value) => value === OTLP_PROTOCOL,
    `must be ${OTLP_PROTOCOL} (the exporter Fleet ships), or unset`,
  );

const schema = z.object({
  OTEL_SDK_DISABLED: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false'], { error: 'must be true or false' }))
    .optional(),
  OTEL_TRACES_EXPORTER: z
    .string()
    .trim()
    .transform((text) => text.split(',').map((part) => part.trim().toLowerCase()))
    .refine(
      (names) =>
        (names.length === 1 && names[0] === 'none') ||
        names.every((name) => (TRACE_EXPORTERS as readonly string[]).includes(name)),
      `must be none, or one or more of ${TRACE_EXPORTERS.join(', ')} (comma-separated)`,
    )
    .optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol.optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol.optional(),
  OTEL_SERVICE_NAME: z.string().trim().min(1).optional(),
  OTEL_RESOURCE_ATTRIBUTES: z
    .string()
    .transform((text, context) => {
      const attributes = parseResourceAttributes(text);
      if (typeof attributes === 'string') {
        context.addIssue({ code: 'custom', message: attributes });
        return z.NEVER;
      }
      return attributes;
    })
    .optional(),
  OTEL_TRACES_SAMPLER: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(TRACE_SAMPLERS, { error: `must be one of ${TRACE_SAMPLERS.join(', ')}` }))
    .default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z
    .string()
    .trim()
    .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, 'must be a ratio from 0 to 1, e.g. 0.1')
    .transform(Number)
    .optional(),
});

/**
 * Reads the OpenTelemetry settings (empty ones already dropped). Tracing is on only when one asks
 * for it: `OTEL_TRACES_EXPORTER` names an exporter, or an OTLP endpoint is set (OTLP then). Off
 * with `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`, whatever else is set. Wrong values
 * are problems even when tracing stays off: a typo must not switch it off silently.
 */
export function tracingConfigOf(
  service: string,
  present: Partial<Record<OtelSetting, string>>,
): { readonly tracing?: TracingConfig; readonly problems: readonly TracingProblem[] } {
  const parsed = schema.safeParse(present);
  if (!parsed.success)
    return {
      problems: parsed.error.issues.map((issue) => {
        const setting = String(issue.path[0]) as OtelSetting;
        const shown = SECRET_SETTINGS.has(setting) ? '' : ` (got "${present[setting]}")`;
        return { setting, message: `${issue.message}${shown}` };
      }),
    };
  const settings = parsed.data;
  const endpoint = settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? settings.OTEL_EXPORTER_OTLP_ENDPOINT;
  const named = settings.OTEL_TRACES_EXPORTER;
  const exporters: TraceExporter[] =
    named === undefined ? (endpoint === undefined ? [] : ['otlp']) : named.filter(isTraceExporter);
  if (settings.OTEL_SDK_DISABLED === 'true' || exporters.length === 0) return { problems: [] };

  const { 'service.name': resourceServiceName, ...resourceAttributes } =
    settings.OTEL_RESOURCE_ATTRIBUTES ?? {};
  return {
    problems: [],
    tracing: {
      exporters: [...new Set(exporters)],
      otlpTracesUrl:
        settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
        `${(settings.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT).replace(/\/+$/, '')}/${TRACES_PATH}`,
      serviceName: settings.OTEL_SERVICE_NAME ?? resourceServiceName ?? service,
      resourceAttributes,
      sampler: settings.OTEL_TRACES_SAMPLER,
      samplerRatio: settings.OTEL_TRACES_SAMPLER_ARG ?? 1,
    },
  };
}

function isTraceExporter(name: string): name is TraceExporter {
  return (TRACE_EXPORTERS as readonly string[]).includes(name);
}

/** `key=value,key=value` with percent-encoded values (the W3C Baggage format), or what is wrong. */
function parseResourceAttributes(text: string): Record<string, string> | string {
  const attributes: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const separator = pair.indexOf('=');
    const key = separator < 0 ? '' : pair.slice(0, separator).trim();
    if (key === '') return `must be key=value pairs separated by commas, e.g. deployment.environment=prod`;
    try {
      attributes[key] = decodeURIComponent(pair.slice(separator + 1).trim());
    } catch {
      return `the value of ${key} is not valid percent-encoding`;
    }
  }
  return attributes;
}
