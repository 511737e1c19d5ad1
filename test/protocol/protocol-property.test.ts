// The control protocol is a boundary: any line gives a request or an error value, never an exception;
// every well-formed request survives encode → parse unchanged, and any field out of its range is refused.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeLine, parseRequest, type Request } from '../../src/protocol/protocol.js';

const unitName = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/), fc.constantFrom('service', 'target', 'timer', 'socket')).map(([s, t]) => `${s}.${t}`);
const units = fc.array(unitName, { maxLength: 4 });
const request: fc.Arbitrary<Request> = fc.oneof(
  fc.record({ verb: fc.constantFrom('start', 'stop', 'restart', 'try-restart', 'reload', 'reload-or-restart', 'try-reload-or-restart'), units, noBlock: fc.boolean() }),
  fc.record({ verb: fc.constantFrom('status', 'show', 'is-active', 'is-failed', 'reset-failed'), units }),
  fc.record({ verb: fc.constant('list-units'), all: fc.boolean(), failed: fc.boolean(), patterns: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }) }),
  fc.record({ verb: fc.constant('list-jobs') }),
  fc.record({ verb: fc.constant('list-dependencies'), unit: unitName, reverse: fc.boolean(), direction: fc.constantFrom('requirements', 'after', 'before'), all: fc.boolean() }),
  fc.record({ verb: fc.constant('kill'), units, signal: fc.integer({ min: 1, max: 64 }), whom: fc.constantFrom('main', 'control', 'all') }),
  fc.record({ verb: fc.constant('logs'), units, follow: fc.boolean(), lines: fc.integer({ min: -1, max: 1_000_000 }) }),
  fc.record({ verb: fc.constantFrom('daemon-reload', 'poweroff') }),
  fc.record({ verb: fc.constant('exit'), code: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }) }),
) as fc.Arbitrary<Request>;

describe('parseRequest', () => {
  test('any line or JSON value: a request or an error message, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.json().map((j) => j), fc.jsonValue().map((v) => JSON.stringify(v))), (line) => {
        const parsed = parseRequest(line);
        if (!parsed.ok) expect(parsed.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 5000 },
    );
  });

  test('every well-formed request survives encode → parse', () => {
    fc.assert(
      fc.property(request, (req) => {
        const line = encodeLine(req);
        expect(parseRequest(line.slice(0, -1))).toEqual({ ok: true, request: JSON.parse(line) as unknown });
      }),
      { numRuns: 3000 },
    );
  });

  test('a well-formed request with one field replaced by anything else of the wrong kind or range is refused', () => {
    const wrong = fc.oneof(fc.constant(null), fc.string({ maxLength: 5 }).map((s) => `${s} bad`), fc.integer({ min: 100_000 }), fc.integer({ max: -2 }), fc.double().filter((d) => !Number.isInteger(d)), fc.constant([1]), fc.constant({}));
    fc.assert(
      fc.property(request, wrong, fc.nat(), (req, value, pick) => {
        const fields = Object.keys(req).filter((k) => k !== 'verb');
        fc.pre(fields.length > 0);
        const field = fields[pick % fields.length] as string;
        // A line count has no upper bound.
        fc.pre(!(field === 'lines' && Number.isInteger(value) && (value as number) >= -1));
        const broken = { ...req, [field]: Array.isArray(value) && field === 'units' ? ['not a unit'] : value };
        expect(parseRequest(JSON.stringify(broken)).ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});
