import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TraceExporter, TracingConfig } from './tracing-settings';

/** The SDK a service started: flushed and shut down last in the graceful shutdown. */
export interface Tracing {
  /** Exports the spans still buffered, then stops; spans started afterwards are dropped. */
  shutdown(): Promise<void>;
}

/**
 * Registers the OpenTelemetry SDK for the process: the tracer provider every `@opentelemetry/api`
 * call in the libs then reaches, the AsyncLocalStorage context manager (the active span follows
 * the request through awaits) and the W3C trace-context propagator (`traceparent`, `tracestate`:
 * what events store and NATS headers carry). Call it once, before the app is created; with
 * tracing off (`config` undefined) nothing is registered and the API stays a no-op.
 */
export function startTracing(config: TracingConfig | undefined): Tracing | undefined {
  if (!config) return undefined;
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({ ...config.resourceAttributes, [ATTR_SERVICE_NAME]: config.serviceName }),
    ),
    sampler: samplerOf(config),
    // Batched: a request never waits for the collector, and a collector that is down costs
    // dropped spans (the queue is bounded), never memory or latency.
    spanProcessors: config.exporters.map((name) => new BatchSpanProcessor(exporterOf(name, config))),
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return { shutdown: () => provider.shutdown() };
}

function exporterOf(name: TraceExporter, config: TracingConfig): SpanExporter {
  switch (name) {
    case 'otlp':
      // Headers, timeout, compression and TLS files come from the exporter's own OTEL_EXPORTER_OTLP_* settings.
      return new OTLPTraceExporter({ url: config.otlpTracesUrl });
    case 'console':
      return new ConsoleSpanExporter();
  }
}

function samplerOf({ sampler, samplerRatio }: TracingConfig): Sampler {
  switch (sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(samplerRatio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(samplerRatio) });
  }
}
