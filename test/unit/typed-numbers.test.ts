import { describe, expect, it } from 'vitest';
import { parseIdText, parsePercent, parseWholeNumber } from '../../src/renderer/lib/typedNumbers';
import { parsePosition } from '../../src/renderer/ui/goToModes';
import { productGoToModes } from '../../src/renderer/features/products/productGoTo';
import { userGoToModes } from '../../src/renderer/features/users/userGoTo';

describe('numbers as an admin types them', () => {
  it('a whole number may be grouped by thousands with one kind of separator, nothing else', () => {
    for (const [text, value] of [
      ['42', 42],
      [' 500000 ', 500000],
      ['1,000', 1000],
      ['1.000.000', 1000000],
      ['500 000', 500000],
      ['500_000', 500000],
      ['500\u00a0000', 500000],
      // Pasted from a French-formatted page (Intl's fr-FR groups with a narrow no-break space).
      [(500000).toLocaleString('fr-FR'), 500000],
    ] as const)
      expect(parseWholeNumber(text), text).toBe(value);
    for (const text of ['', ' ', '1,5', '12.34', '1,000.000', '1,00,000', '-1', '+1', '1e3', '0x10', '1.5', 'Infinity', '#42', '4 2'])
      expect(parseWholeNumber(text), text).toBeNull();
  });

  it('an id may start with "#"', () => {
    expect(parseIdText('#42')).toBe(42);
    expect(parseIdText('# 1,000')).toBe(1000);
    expect(parseIdText('#')).toBeNull();
    expect(parseIdText('##42')).toBeNull();
  });

  it('a percentage is 0 to 100 with at most two decimals; no Number() quirks', () => {
    expect(parsePercent('50%', { signRequired: true })).toBe(50);
    expect(parsePercent('12.5 %', { signRequired: true })).toBe(12.5);
    expect(parsePercent('12,5%', { signRequired: true })).toBe(12.5);
    expect(parsePercent('100%', { signRequired: true })).toBe(100);
    expect(parsePercent('50', { signRequired: true })).toBeNull();
    expect(parsePercent('50', { signRequired: false })).toBe(50);
    for (const text of ['1,000%', '100.5%', '0x10%', '1e1%', ' %', '%', '-5%', '0.125%', '101%'])
      expect(parsePercent(text, { signRequired: true }), text).toBeNull();
  });
});

describe('Go to and the ID search read ids and positions the same way', () => {
  const userId = userGoToModes('email').find((mode) => mode.id === 'id')!;
  const productId = productGoToModes.find((mode) => mode.id === 'id')!;

  it('"#42", "1,000" and "1.000.000" are ids in Go to on both screens (the ID search and the owner picker use the same parseIdText)', () => {
    for (const mode of [userId, productId]) {
      expect(mode.parse('#42')).toEqual({ ok: true, target: { kind: 'id', id: 42 } });
      expect(mode.parse('1,000')).toEqual({ ok: true, target: { kind: 'id', id: 1000 } });
      expect(mode.parse('1.000.000')).toEqual({ ok: true, target: { kind: 'id', id: 1000000 } });
      expect(mode.parse('12.5').ok).toBe(false);
    }
    expect(userId.parse('99999999999')).toEqual({ ok: false, message: 'A user id is between 1 and 2,147,483,647.' });
  });

  it('both screens have one position field: a row number or a percentage, strictly', () => {
    expect(productGoToModes.map((mode) => mode.label)).toContain('Row number or %');
    expect(userGoToModes('id').map((mode) => mode.label)).toContain('Row number or %');
    expect(parsePosition('500,000')).toEqual({ ok: true, target: { kind: 'row', row: 500000 } });
    expect(parsePosition('25%')).toEqual({ ok: true, target: { kind: 'fraction', fraction: 0.25 } });
    for (const text of ['1,000%', '0x10', '1e1', '  ', '0', '0x10%']) expect(parsePosition(text).ok, text).toBe(false);
  });
});
