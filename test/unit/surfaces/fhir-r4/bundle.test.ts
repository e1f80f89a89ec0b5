import { pageOf, searchsetBundle } from '@gpsim/simulator/surfaces/fhir-r4/bundle';
import type { FhirResource } from '@gpsim/simulator/surfaces/fhir-r4/fhir-types';

const base = 'http://gpsim.test/fhir/R4';
const resources: FhirResource[] = Array.from({ length: 7 }, (_, i) => ({ resourceType: 'Condition', id: `c${i}` }));

interface Link {
  relation: string;
  url: string;
}

function bundle(count: number, offset: number) {
  const paging = { count, offset };
  return searchsetBundle({
    base,
    resourceType: 'Condition',
    params: [['patient', 'Patient/p1']],
    paging,
    total: resources.length,
    resources: pageOf(resources, paging),
  }) as { type: string; total: number; link: Link[]; entry?: { fullUrl: string; search: { mode: string } }[] };
}

function link(result: ReturnType<typeof bundle>, relation: string): URL | undefined {
  const found = result.link.find((candidate) => candidate.relation === relation);
  return found ? new URL(found.url) : undefined;
}

describe('searchset bundles', () => {
  it('is a searchset with the total across pages and absolute fullUrls in match mode', () => {
    const result = bundle(3, 0);
    expect(result.type).toBe('searchset');
    expect(result.total).toBe(7);
    expect(result.entry?.map((entry) => entry.fullUrl)).toEqual([
      `${base}/Condition/c0`,
      `${base}/Condition/c1`,
      `${base}/Condition/c2`,
    ]);
    expect(result.entry?.every((entry) => entry.search.mode === 'match')).toBe(true);
  });

  it('links self with the parameters used and next to the following page', () => {
    const result = bundle(3, 3);
    const self = link(result, 'self');
    expect(self?.searchParams.get('patient')).toBe('Patient/p1');
    expect(self?.searchParams.get('_offset')).toBe('3');
    expect(link(result, 'next')?.searchParams.get('_offset')).toBe('6');
    expect(link(result, 'previous')?.searchParams.get('_offset')).toBeNull();
  });

  it('has no next link on the last page', () => {
    const result = bundle(3, 6);
    expect(result.entry).toHaveLength(1);
    expect(link(result, 'next')).toBeUndefined();
    expect(link(result, 'previous')?.searchParams.get('_offset')).toBe('3');
  });

  it('answers _count=0 with the total alone and no next link', () => {
    const result = bundle(0, 0);
    expect(result.total).toBe(7);
    expect(result.entry).toBeUndefined();
    expect(link(result, 'next')).toBeUndefined();
  });
});
