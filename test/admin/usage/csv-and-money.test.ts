import { csvText, spreadsheetCell } from '../../../src/admin/usage/csv';
import { billed, minorDigits, sum } from '../../../src/admin/usage/money';

describe('CSV for spreadsheets', () => {
  it('quotes what RFC 4180 says to quote, doubling quotes, with CRLF after every record', () => {
    expect(csvText([['a', 'b,c', 'say "hi"', 'two\nlines', '']])).toBe(
      'a,"b,c","say ""hi""","two\nlines",\r\n',
    );
  });

  it('makes formula-like cells text, and leaves decimal numbers, negative ones too, as numbers', () => {
    expect(['=SUM(A1:A9)', '+1', '-1+1', '@cmd', '\t=1', '\r=1'].map(spreadsheetCell)).toEqual([
      "'=SUM(A1:A9)",
      "'+1",
      "'-1+1",
      "'@cmd",
      "'\t=1",
      "'\r=1",
    ]);
    expect(['-0.05', '12', '0.0085', 'Acme - Dental', ''].map(spreadsheetCell)).toEqual([
      '-0.05',
      '12',
      '0.0085',
      'Acme - Dental',
      '',
    ]);
  });
});

describe('money', () => {
  it('adds decimals exactly', () => {
    expect(sum(['0.1', '0.2'])).toBe('0.3');
    expect(sum(Array.from({ length: 10_000 }, () => '0.0001'))).toBe('1');
    expect(sum(['1.15', '-1.15'])).toBe('0');
  });

  it("bills cost plus markup rounded half away from zero to the currency's smallest unit", () => {
    expect(billed('0.0085', '15', 'USD')).toBe('0.01');
    expect(billed('1.218', '15', 'USD')).toBe('1.40');
    expect(billed('0.3', '12.5', 'USD')).toBe('0.34');
    expect(billed('-0.05', '15', 'USD')).toBe('-0.06');
    expect(billed('0.005', '0', 'USD')).toBe('0.01');
    expect(billed('100.5', '0', 'JPY')).toBe('101');
    expect(minorDigits('XYZ-not-a-code')).toBe(2);
  });
});
