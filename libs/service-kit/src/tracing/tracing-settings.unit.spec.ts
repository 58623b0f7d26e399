import { trace } from '@opentelemetry/api';
import { ConfigError } from '../config/config.error';
import { loadFleetConfig, type FleetEnv } from '../config/fleet-config';
import { startTracing } from './start-tracing';

const KEYS = 'admin:admin-key-0123456789abcdef';

function tracingOf(env: FleetEnv) {
  return loadFleetConfig({ service: 'procurement', defaultPort: 3001, env: { FLEET_API_KEYS: KEYS, ...env } })
    .config.tracing;
}

function problemsOf(env: FleetEnv): readonly { setting: string; message: string }[] {
  try {
    tracingOf(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('tracing settings', () => {
  it('leave tracing off when no OTEL setting asks for it', () => {
    expect(tracingOf({})).toBeUndefined();
    // Naming the service or a sampler is not asking for traces.
    expect(
      tracingOf({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_EXPORTER: ' ' }),
    ).toBeUndefined();
  });

  it('turn OTLP on for an endpoint, with the specification defaults', () => {
    expect(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      exporters: ['otlp'],
      otlpTracesUrl: 'http://collector:4318/v1/traces',
      serviceName: 'procurement',
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
    // The traces endpoint is used as given, and wins over the general one.
    expect(
      tracingOf({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example:443/otlp/traces',
      })?.otlpTracesUrl,
    ).toBe('https://traces.example:443/otlp/traces');
    expect(tracingOf({ OTEL_TRACES_EXPORTER: 'otlp' })?.otlpTracesUrl).toBe(
      'http://localhost:4318/v1/traces',
    );
  });

  it('read the exporters, service name, resource attributes and sampler', () => {
    expect(
      tracingOf({
        OTEL_TRACES_EXPORTER: 'console, OTLP',
        OTEL_SERVICE_NAME: 'procurement-us-tx-01',
        OTEL_RESOURCE_ATTRIBUTES:
          'deployment.environment.name=prod,fleet.facility=us%2Dtx%2D01,service.name=ignored',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }),
    ).toEqual({
      exporters: ['console', 'otlp'],
      otlpTracesUrl: 'http://localhost:4318/v1/traces',
      serviceName: 'procurement-us-tx-01',
      resourceAttributes: { 'deployment.environment.name': 'prod', 'fleet.facility': 'us-tx-01' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
    });
    // Without OTEL_SERVICE_NAME, the resource attributes' service.name is the name.
    expect(
      tracingOf({ OTEL_TRACES_EXPORTER: 'console', OTEL_RESOURCE_ATTRIBUTES: 'service.name=buyer' })
        ?.serviceName,
    ).toBe('buyer');
  });

  it('stay off when disabled or with the none exporter, whatever else is set', () => {
    expect(
      tracingOf({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }),
    ).toBeUndefined();
    expect(
      tracingOf({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }),
    ).toBeUndefined();
    expect(tracingOf({ OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'console' })?.exporters).toEqual([
      'console',
    ]);
  });

  it('name every wrong setting, even when tracing would stay off', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      OTEL_SDK_DISABLED: 'yes',
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
      OTEL_RESOURCE_ATTRIBUTES: 'just-a-word',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '1.5',
    });
    expect(problems.map((problem) => problem.setting)).toEqual([
      'PORT',
      'OTEL_SDK_DISABLED',
      'OTEL_TRACES_EXPORTER',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
      'OTEL_RESOURCE_ATTRIBUTES',
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER_ARG',
    ]);
    expect(problems.find((problem) => problem.setting === 'OTEL_TRACES_EXPORTER')?.message).toMatch(
      /none, or one or more of otlp, console .*got "zipkin"/,
    );
    expect(problemsOf({ OTEL_TRACES_EXPORTER: 'none,otlp' }).map((problem) => problem.setting)).toEqual([
      'OTEL_TRACES_EXPORTER',
    ]);
    expect(problemsOf({ OTEL_RESOURCE_ATTRIBUTES: 'a=%E0%A4%A' })[0].message).toMatch(/percent-encoding/);
    // An endpoint may carry credentials: named, never echoed.
    const [endpoint] = problemsOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://user:s3cret@collector' });
    expect(endpoint.setting).toBe('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    expect(endpoint.message).not.toContain('s3cret');
  });

  it('accept http/json as the OTLP protocol', () => {
    expect(
      tracingOf({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })
        ?.exporters,
    ).toEqual(['otlp']);
  });
});

describe('startTracing', () => {
  it('registers nothing when tracing is off: spans stay no-ops', () => {
    expect(startTracing(tracingOf({}))).toBeUndefined();
    const span = trace.getTracer('test').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(false);
    span.end();
  });
});
