/** Numbered sources for exports: each cited record gets a number on first use; the list is printed at the end. */
import type { Citation, SourceRef } from '../../../shared/brief-types';

export class SourceNumbers {
  private readonly numbers = new Map<Citation, number>();
  private readonly labels = new Map<Citation, string>();

  constructor(known: readonly SourceRef[] = []) {
    for (const s of known) this.labels.set(s.ref, s.label);
  }

  addLabels(refs: readonly SourceRef[]): void {
    for (const s of refs) if (!this.labels.has(s.ref)) this.labels.set(s.ref, s.label);
  }

  /** The numbers of these citations, assigning new ones as needed. */
  cite(refs: readonly Citation[]): number[] {
    return refs.map((r) => {
      let n = this.numbers.get(r);
      if (n === undefined) {
        n = this.numbers.size + 1;
        this.numbers.set(r, n);
      }
      return n;
    });
  }

  /** "[1, 3-6, 9]" or "" when there is nothing to cite. */
  marker(refs: readonly Citation[]): string {
    const nums = [...new Set(this.cite(refs))].sort((a, b) => a - b);
    return nums.length ? `[${compressRanges(nums)}]` : '';
  }

  list(): { n: number; ref: Citation; label: string }[] {
    return [...this.numbers.entries()].map(([ref, n]) => ({ n, ref, label: this.labels.get(ref) ?? ref }));
  }
}

export const compressRanges = (sorted: readonly number[]): string => {
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(
      j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : j === i ? `${sorted[i]}` : `${sorted[i]}, ${sorted[j]}`,
    );
    i = j + 1;
  }
  return parts.join(', ');
};
