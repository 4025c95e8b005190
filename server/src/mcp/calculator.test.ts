import { describe, expect, it } from 'vitest';
import { CalculatorError, evaluate } from './calculator.js';

describe('calculator', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['-2^2', -4],
    ['2^3^2', 512],
    ['2 ** 10', 1024],
    ['10 % 4', 2],
    ['-(3 - 5)', 2],
    ['--3', 3],
    ['7 / 2', 3.5],
    ['sqrt(16) + abs(-2)', 6],
    ['round(2.71828, 2)', 2.72],
    ['max(1, 9, 4) - min(3, 2)', 7],
    ['log(8, 2)', 3],
    ['2 * pi', 2 * Math.PI],
    ['E', Math.E],
    ['1.5e3 + .5', 1500.5],
    ['6 × 7 ÷ 2', 21],
    ['0 * -1', 0],
  ])('%s = %d', (expression, expected) => {
    expect(evaluate(expression)).toBeCloseTo(expected, 10);
  });

  it.each([
    ['process.exit(1)', /Unexpected character "\." at position 8/],
    ['process', /Unknown name "process"/],
    ['constructor', /Unknown name "constructor"/],
    ['toString(1)', /Unknown function "toString"/],
    ['require("fs")', /Unexpected character """/],
    ['alert`1`', /Unexpected character "`"/],
    ['x = 1', /Unexpected character "="/],
    ['x + 1', /Unknown name "x"/],
    ['[1,2]', /Unexpected character "\["/],
    ['1 +', /ends too early/],
    ['(1 + 2', /Expected "\)"/],
    ['1 2', /Unexpected "2"/],
    ['', /empty/],
    ['1 / 0', /Division by zero/],
    ['9^9^9', /too large/],
    ['sqrt(-1)', /not a number/],
    ['sqrt(1, 2)', /takes 1 argument, got 2/],
    ['round(1, 99)', /digits/],
  ])('refuses %s with a clear message', (expression, message) => {
    expect(() => evaluate(expression)).toThrow(CalculatorError);
    expect(() => evaluate(expression)).toThrow(message);
  });

  it('bounds length and nesting', () => {
    expect(() => evaluate('1+'.repeat(300) + '1')).toThrow(/longer than 500/);
    expect(() => evaluate('('.repeat(100) + '1' + ')'.repeat(100))).toThrow(/nested too deeply/);
    expect(() => evaluate('-'.repeat(100) + '1')).toThrow(/nested too deeply/);
  });
});
