// Fault injection: a small rule language, parsed to typed rules, applied deterministically (counters
// and a seeded PRNG per rule), so a failing run can be replayed. Grammar (README.md, "Faults"):
//
//   spec    = rule *( ";" rule )                      newlines also separate rules
//   rule    = kind [ "=" value ] *( SP option )
//   kind    = "latency" | "429" | "500" | "reset-before" | "reset-after" | "slow-upload"
//   option  = ( "method" | "path" | "op" | "every" | "rate" | "times" | "ms" | "retry-after" | "bps" ) "=" value
//
// `latency=50ms` is `latency ms=50`; `slow-upload=1m` is `slow-upload bps=1000000`.
import { AppError } from '../errors/app-error.js';

export type FaultKind = 'latency' | '429' | '500' | 'reset-before' | 'reset-after' | 'slow-upload';

export const FAULT_KINDS: readonly FaultKind[] = [
  'latency',
  '429',
  '500',
  'reset-before',
  'reset-after',
  'slow-upload',
];

export interface FaultRule {
  kind: FaultKind;
  /** Upper-case HTTP methods; any when absent. */
  methods?: string[];
  /** Glob on the URL path (`*` one segment, `**` any). Anchored when it starts with /api/ or /auth/, else matches the path's end. */
  path?: string;
  /** Operation name from the endpoint table, e.g. `replaceApk`. */
  operation?: string;
  /** Fire on every Nth matching request (the Nth, 2Nth, …). */
  every?: number;
  /** Fire with this probability (0 < rate ≤ 1), from the seeded PRNG. */
  rate?: number;
  /** Fire at most this many times. */
  times?: number;
  /** latency: delay before the request is handled. */
  ms?: number;
  /** 429: the Retry-After header, in seconds (default 1). */
  retryAfter?: number;
  /** slow-upload: body read rate in bytes per second. */
  bps?: number;
}

/** What happens to one request. */
export interface FaultDecision {
  latencyMs: number;
  /** 0 = unthrottled. */
  bytesPerSecond: number;
  /** The first terminal fault that fired (429, 500, reset-before, reset-after), if any. */
  terminal?: { kind: Exclude<FaultKind, 'latency' | 'slow-upload'>; retryAfter: number };
}

export class FaultSpecError extends AppError {
  constructor(message: string) {
    super('EMULATOR_FAULT_SPEC_INVALID', message, {
      hint: 'Example: --faults "latency=50ms; 429 every=5 retry-after=1; reset-after path=/apks/upload times=1"',
    });
    this.name = 'FaultSpecError';
  }
}

function parseDurationMs(raw: string, where: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(raw);
  if (match === null) throw new FaultSpecError(`${where}: '${raw}' is not a duration (use 50ms or 1.5s)`);
  const value = Number(match[1]);
  return match[2] === 's' ? value * 1000 : value;
}

function parseRate(raw: string, where: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM])?$/.exec(raw);
  if (match === null)
    throw new FaultSpecError(`${where}: '${raw}' is not a byte rate (use 1000000, 500k or 2m)`);
  const unit = match[2]?.toLowerCase();
  const value = Number(match[1]) * (unit === 'k' ? 1000 : unit === 'm' ? 1_000_000 : 1);
  if (value <= 0) throw new FaultSpecError(`${where}: the byte rate must be positive`);
  return value;
}

function parseCount(raw: string, where: string, name: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new FaultSpecError(`${where}: ${name}=${raw} must be a whole number ≥ 1`);
  return Number(raw);
}

/** Parses a fault spec; throws FaultSpecError naming the rule and token at fault. */
export function parseFaultSpec(spec: string): FaultRule[] {
  const rules: FaultRule[] = [];
  const texts = spec
    .split(/[;\n]/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  texts.forEach((text, index) => {
    const where = `fault rule ${index + 1} ('${text}')`;
    const [head = '', ...options] = text.split(/\s+/);
    const eq = head.indexOf('=');
    const kind = (eq < 0 ? head : head.slice(0, eq)) as FaultKind;
    const headValue = eq < 0 ? undefined : head.slice(eq + 1);
    if (!FAULT_KINDS.includes(kind)) {
      throw new FaultSpecError(`${where}: unknown fault '${kind}' (one of ${FAULT_KINDS.join(', ')})`);
    }
    const rule: FaultRule = { kind };
    if (headValue !== undefined) {
      if (kind === 'latency') rule.ms = parseDurationMs(headValue, where);
      else if (kind === 'slow-upload') rule.bps = parseRate(headValue, where);
      else throw new FaultSpecError(`${where}: '${kind}' takes no value`);
    }
    for (const option of options) {
      const at = option.indexOf('=');
      if (at <= 0) throw new FaultSpecError(`${where}: '${option}' is not key=value`);
      const key = option.slice(0, at);
      const value = option.slice(at + 1);
      switch (key) {
        case 'method':
          rule.methods = value.split(',').map((m) => m.toUpperCase());
          break;
        case 'path':
          if (value.length === 0) throw new FaultSpecError(`${where}: path= needs a glob`);
          rule.path = value;
          break;
        case 'op':
          rule.operation = value;
          break;
        case 'every':
          rule.every = parseCount(value, where, key);
          break;
        case 'times':
          rule.times = parseCount(value, where, key);
          break;
        case 'rate': {
          const rate = Number(value);
          if (!(rate > 0 && rate <= 1)) throw new FaultSpecError(`${where}: rate=${value} must be in (0, 1]`);
          rule.rate = rate;
          break;
        }
        case 'ms':
          rule.ms = parseDurationMs(value, where);
          break;
        case 'retry-after':
          if (!/^\d+$/.test(value))
            throw new FaultSpecError(`${where}: retry-after=${value} must be whole seconds`);
          rule.retryAfter = Number(value);
          break;
        case 'bps':
          rule.bps = parseRate(value, where);
          break;
        default:
          throw new FaultSpecError(`${where}: unknown option '${key}'`);
      }
    }
    checkRule(rule, where);
    rules.push(rule);
  });
  return rules;
}

function checkRule(rule: FaultRule, where: string): void {
  if (rule.every !== undefined && rule.rate !== undefined) {
    throw new FaultSpecError(`${where}: use every= or rate=, not both`);
  }
  if (rule.kind === 'latency' && rule.ms === undefined)
    throw new FaultSpecError(`${where}: latency needs a duration`);
  if (rule.kind === 'slow-upload' && rule.bps === undefined)
    throw new FaultSpecError(`${where}: slow-upload needs bps=`);
  if (rule.ms !== undefined && rule.kind !== 'latency')
    throw new FaultSpecError(`${where}: ms= only applies to latency`);
  if (rule.bps !== undefined && rule.kind !== 'slow-upload') {
    throw new FaultSpecError(`${where}: bps= only applies to slow-upload`);
  }
  if (rule.retryAfter !== undefined && rule.kind !== '429') {
    throw new FaultSpecError(`${where}: retry-after= only applies to 429`);
  }
}

/** Checks rules given as objects (programmatic option, admin endpoint) as strictly as parsed ones. */
export function checkFaultRules(rules: readonly FaultRule[]): FaultRule[] {
  return rules.map((rule, index) => {
    const where = `fault rule ${index + 1}`;
    if (!FAULT_KINDS.includes(rule.kind))
      throw new FaultSpecError(`${where}: unknown fault '${String(rule.kind)}'`);
    checkRule(rule, where);
    return { ...rule };
  });
}

/** mulberry32: a tiny, well-mixed 32-bit PRNG; enough for reproducible fault rates. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function globToRegex(glob: string): RegExp {
  const anchored = glob.startsWith('/api/') || glob.startsWith('/auth/');
  const pattern = glob.startsWith('/') ? glob : `/${glob}`;
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(anchored ? `^${source}$` : `^.*${source}$`);
}

interface RuleState {
  rule: FaultRule;
  pathRegex: RegExp | undefined;
  random: () => number;
  seen: number;
  fired: number;
}

/** Applies fault rules to requests, in spec order, with per-rule counters and PRNG. */
export class FaultInjector {
  #states: RuleState[] = [];
  #seed = 1;
  #operations: ReadonlySet<string> | undefined;

  constructor(rules: readonly FaultRule[] = [], seed = 1) {
    this.replace(rules, seed);
  }

  /** The server's operation names: from now on (and for the current rules) an unknown `op=` is an error. */
  knowOperations(operations: ReadonlySet<string>): void {
    this.#operations = operations;
    this.replace(this.rules(), this.#seed);
  }

  replace(rules: readonly FaultRule[], seed = this.#seed): void {
    const known = this.#operations;
    for (const [index, rule] of rules.entries()) {
      if (known !== undefined && rule.operation !== undefined && !known.has(rule.operation)) {
        throw new FaultSpecError(
          `fault rule ${index + 1}: no operation '${rule.operation}'; known: ${[...known].sort().join(', ')}`,
        );
      }
    }
    this.#seed = seed;
    this.#states = checkFaultRules(rules).map((rule, index) => ({
      rule,
      pathRegex: rule.path === undefined ? undefined : globToRegex(rule.path),
      random: mulberry32((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0),
      seen: 0,
      fired: 0,
    }));
  }

  /** Restarts counters and PRNGs (same rules, same seed): the next run sees the same faults. */
  reset(): void {
    this.replace(this.rules(), this.#seed);
  }

  rules(): FaultRule[] {
    return this.#states.map((s) => ({ ...s.rule }));
  }

  decide(method: string, path: string, operation: string | null): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, bytesPerSecond: 0 };
    for (const state of this.#states) {
      const { rule } = state;
      const terminal = rule.kind !== 'latency' && rule.kind !== 'slow-upload';
      if (terminal && decision.terminal !== undefined) continue;
      if (!this.#matches(state, method, path, operation) || !this.#fires(state)) continue;
      if (rule.kind === 'latency') decision.latencyMs += rule.ms ?? 0;
      else if (rule.kind === 'slow-upload') {
        decision.bytesPerSecond =
          decision.bytesPerSecond === 0 ? (rule.bps ?? 0) : Math.min(decision.bytesPerSecond, rule.bps ?? 0);
      } else {
        decision.terminal = { kind: rule.kind, retryAfter: rule.retryAfter ?? 1 };
      }
    }
    return decision;
  }

  #matches(state: RuleState, method: string, path: string, operation: string | null): boolean {
    const { rule } = state;
    if (rule.methods !== undefined && !rule.methods.includes(method)) return false;
    if (rule.operation !== undefined && rule.operation !== operation) return false;
    if (state.pathRegex !== undefined && !state.pathRegex.test(path)) return false;
    return true;
  }

  #fires(state: RuleState): boolean {
    const { rule } = state;
    if (rule.times !== undefined && state.fired >= rule.times) return false;
    state.seen += 1;
    let fires = true;
    if (rule.every !== undefined) fires = state.seen % rule.every === 0;
    else if (rule.rate !== undefined) fires = state.random() < rule.rate;
    if (fires) state.fired += 1;
    return fires;
  }
}
