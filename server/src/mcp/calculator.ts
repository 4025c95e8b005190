// A small arithmetic language for the calculator tool: tokens → recursive-descent parser →
// value. No eval and no property lookups: a name is either a listed constant or a listed
// function, so code ("process.exit()", "constructor") is refused as an unknown name or character.

/** A refusal with a message written for the model (and the person reading the tool bubble). */
export class CalculatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalculatorError';
  }
}

export const MAX_EXPRESSION_LENGTH = 500;
const MAX_DEPTH = 64;

const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI };

interface FunctionSpec {
  /** Allowed argument counts: [min, max]. */
  arity: [number, number];
  apply(args: number[]): number;
}

const unary = (f: (x: number) => number): FunctionSpec => ({ arity: [1, 1], apply: (a) => f(a[0] as number) });

const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  sqrt: unary(Math.sqrt),
  cbrt: unary(Math.cbrt),
  abs: unary(Math.abs),
  floor: unary(Math.floor),
  ceil: unary(Math.ceil),
  exp: unary(Math.exp),
  ln: unary(Math.log),
  log10: unary(Math.log10),
  log2: unary(Math.log2),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  // log(x) is the natural logarithm; log(x, base) any base.
  log: { arity: [1, 2], apply: (a) => (a.length === 2 ? Math.log(a[0] as number) / Math.log(a[1] as number) : Math.log(a[0] as number)) },
  // round(x) to an integer; round(x, digits) to that many decimals (0–15).
  round: {
    arity: [1, 2],
    apply: (a) => {
      const digits = a[1] ?? 0;
      if (!Number.isInteger(digits) || digits < 0 || digits > 15) throw new CalculatorError('round(x, digits) needs digits as a whole number from 0 to 15');
      const factor = 10 ** digits;
      return Math.round((a[0] as number) * factor) / factor;
    },
  },
  min: { arity: [1, 32], apply: (a) => Math.min(...a) },
  max: { arity: [1, 32], apply: (a) => Math.max(...a) },
};

/** The names the tool's description advertises. */
export const CALCULATOR_FUNCTIONS = Object.keys(FUNCTIONS);
export const CALCULATOR_CONSTANTS = Object.keys(CONSTANTS);

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'op'; value: '+' | '-' | '*' | '/' | '%' | '^' | '(' | ')' | ','; at: number };

const OPERATORS = new Set(['+', '-', '*', '/', '%', '^', '(', ')', ',']);

/** Pure: the expression's tokens; `**` is read as `^`, `×` and `÷` as `*` and `/`. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const number = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0].replace(/_/g, '')), at: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], at: i });
      i += name[0].length;
      continue;
    }
    if (source.startsWith('**', i)) {
      tokens.push({ kind: 'op', value: '^', at: i });
      i += 2;
      continue;
    }
    const op = ch === '×' ? '*' : ch === '÷' ? '/' : ch;
    if (OPERATORS.has(op)) {
      tokens.push({ kind: 'op', value: op as Extract<Token, { kind: 'op' }>['value'], at: i });
      i += 1;
      continue;
    }
    throw new CalculatorError(`Unexpected character "${ch}" at position ${i + 1}: only numbers, + - * / % ^, parentheses and the listed functions are allowed`);
  }
  return tokens;
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): number {
    if (this.tokens.length === 0) throw new CalculatorError('Expression is empty');
    const value = this.expression();
    const extra = this.tokens[this.pos];
    if (extra) throw new CalculatorError(`Unexpected "${String(extra.value)}" at position ${extra.at + 1}`);
    return value;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t?.kind === 'op' && t.value === value;
  }

  private expect(value: string): void {
    if (!this.isOp(value)) {
      const t = this.peek();
      throw new CalculatorError(t ? `Expected "${value}" at position ${t.at + 1}` : `Expected "${value}" at the end`);
    }
    this.pos += 1;
  }

  private nested<T>(f: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw new CalculatorError('Expression is nested too deeply');
    try {
      return f();
    } finally {
      this.depth -= 1;
    }
  }

  private expression(): number {
    let value = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.tokens[this.pos++] as Token).value;
      const right = this.term();
      value = op === '+' ? value + right : value - right;
    }
    return value;
  }

  private term(): number {
    let value = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = (this.tokens[this.pos++] as Token).value;
      const right = this.unary();
      if ((op === '/' || op === '%') && right === 0) throw new CalculatorError('Division by zero');
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
    return value;
  }

  // Unary minus binds looser than ^, as in mathematics: -2^2 = -4.
  private unary(): number {
    if (this.isOp('-') || this.isOp('+')) {
      const negative = (this.tokens[this.pos++] as Token).value === '-';
      const value = this.nested(() => this.unary());
      return negative ? -value : value;
    }
    return this.power();
  }

  // ^ is right-associative: 2^3^2 = 2^9.
  private power(): number {
    const base = this.primary();
    if (!this.isOp('^')) return base;
    this.pos += 1;
    const exponent = this.nested(() => this.unary());
    return base ** exponent;
  }

  private primary(): number {
    const t = this.peek();
    if (!t) throw new CalculatorError('Expression ends too early');
    this.pos += 1;
    if (t.kind === 'number') return t.value;
    if (t.kind === 'op' && t.value === '(') {
      const value = this.nested(() => this.expression());
      this.expect(')');
      return value;
    }
    if (t.kind === 'name') return this.named(t.value, t.at);
    throw new CalculatorError(`Unexpected "${t.value}" at position ${t.at + 1}`);
  }

  private named(name: string, at: number): number {
    const key = name.toLowerCase();
    if (this.isOp('(')) {
      const fn = Object.hasOwn(FUNCTIONS, key) ? FUNCTIONS[key] : undefined;
      if (!fn) throw new CalculatorError(`Unknown function "${name}" at position ${at + 1}; available: ${CALCULATOR_FUNCTIONS.join(', ')}`);
      this.pos += 1;
      const args: number[] = [];
      if (!this.isOp(')')) {
        args.push(this.nested(() => this.expression()));
        while (this.isOp(',')) {
          this.pos += 1;
          args.push(this.nested(() => this.expression()));
        }
      }
      this.expect(')');
      const [min, max] = fn.arity;
      if (args.length < min || args.length > max) throw new CalculatorError(`${key}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${args.length}`);
      return fn.apply(args);
    }
    if (Object.hasOwn(CONSTANTS, key)) return CONSTANTS[key] as number;
    throw new CalculatorError(`Unknown name "${name}" at position ${at + 1}: only the constants ${CALCULATOR_CONSTANTS.join(', ')} and the functions ${CALCULATOR_FUNCTIONS.join(', ')} are allowed`);
  }
}

/** Pure: the value of an arithmetic expression, or a CalculatorError saying what is wrong. */
export function evaluate(expression: string): number {
  if (expression.length > MAX_EXPRESSION_LENGTH) throw new CalculatorError(`Expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const value = new Parser(tokenize(expression)).parse();
  if (Number.isNaN(value)) throw new CalculatorError('The result is not a number (for example the square root of a negative number)');
  if (!Number.isFinite(value)) throw new CalculatorError('The result is too large to represent');
  // -0 reads oddly in an answer.
  return Object.is(value, -0) ? 0 : value;
}
