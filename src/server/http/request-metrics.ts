import type { RequestHandler } from 'express';
import type { Metrics } from '../metrics';

/** Times every request, labelled by its route pattern (never the raw path: ids would explode cardinality). */
export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpRequestDuration.startTimer();
    res.on('finish', () => {
      const route =
        typeof req.route?.path === 'string' ? req.baseUrl + req.route.path : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      stop(labels);
      metrics.httpRequests.inc(labels);
    });
    next();
  };
}
