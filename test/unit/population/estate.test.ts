import { defaultPopulation } from '../../support/population';

describe('the default estate', () => {
  const population = defaultPopulation();
  const practices = population.practices;

  it('has six generated practices, three on SystmOne and three on EMIS, plus the public test practice B82617', () => {
    expect(practices).toHaveLength(7);
    const generated = practices.filter((practice) => !practice.publicTestPractice);
    expect(generated.filter((practice) => practice.system === 'systmone')).toHaveLength(3);
    expect(generated.filter((practice) => practice.system === 'emis')).toHaveLength(3);
    expect(practices.filter((practice) => practice.ods === 'B82617')).toHaveLength(1);
  });

  it('uses fictitious practice codes: X and five digits, never the test suite organisation X12345', () => {
    for (const practice of practices.filter((p) => !p.publicTestPractice)) {
      expect(practice.ods).toMatch(/^X\d{5}$/);
      expect(practice.ods).not.toBe('X12345');
    }
    expect(new Set(practices.map((practice) => practice.ods)).size).toBe(practices.length);
  });

  it('gives every practice a unique 12-digit ASID; B82617 keeps the demonstrator/test-suite ASID', () => {
    for (const practice of practices) expect(practice.asid).toMatch(/^\d{12}$/);
    expect(new Set(practices.map((practice) => practice.asid)).size).toBe(practices.length);
    expect(population.practice('B82617')?.asid).toBe('918999198738');
  });

  it('gives each practice a party key of its ODS code and seven digits', () => {
    for (const practice of practices) expect(practice.partyKey).toMatch(new RegExp(`^${practice.ods}-\\d{7}$`));
  });

  it('staffs every practice with each role, SDS ids and job role codes', () => {
    const roles = ['gp', 'nurse', 'hca', 'pharmacist', 'receptionist', 'practice-manager', 'system-administrator'];
    for (const practice of practices) {
      expect(new Set(practice.staff.map((member) => member.role))).toEqual(new Set(roles));
      // GPs first: the first staff member is the default desktop user of a practice.
      expect(practice.staff[0]?.role).toBe('gp');
      for (const member of practice.staff) {
        expect(member.sdsUserId).toMatch(/^\d{12}$/);
        expect(member.sdsRoleProfileId).toMatch(/^\d{12}$/);
        expect(member.jobRole.code).toMatch(/^R\d{4}$/);
        expect(member.accessRole.code).toMatch(/^R80\d\d$/);
        expect(member.username).toMatch(/^[a-z]+\d{4}$/);
      }
      expect(practice.staff.find((member) => member.role === 'gp')?.jobRole).toEqual({
        code: 'R0260',
        display: 'General Medical Practitioner',
      });
    }
  });

  it('keeps usernames and SDS user ids unique per person, and role profile ids unique per role', () => {
    const staff = practices.flatMap((practice) => practice.staff);
    const people = new Map(staff.map((member) => [member.username, member.sdsUserId]));
    expect(new Set(people.values()).size).toBe(people.size);
    for (const member of staff) expect(people.get(member.username)).toBe(member.sdsUserId);
    expect(new Set(staff.map((member) => member.sdsRoleProfileId)).size).toBe(staff.length);
  });

  it('gives each practice a multi-site GP who also holds a GP role at the next practice', () => {
    const regular = practices.filter((practice) => !practice.publicTestPractice);
    regular.forEach((practice, index) => {
      const next = regular[(index + 1) % regular.length];
      // Each practice's list ends with the role of the previous practice's multi-site GP.
      const locum = practice.staff.slice(0, -1).filter((member) => member.role === 'gp');
      const shared = next?.staff.find((member) => member.username === locum.at(-1)?.username);
      expect(shared).toMatchObject({ role: 'gp', ods: next?.ods, sdsUserId: locum.at(-1)?.sdsUserId });
      // The second role is appended, so the practice's own list keeps its positions.
      expect(shared?.index).toBe((next?.staff.length ?? 0) - 1);
    });
  });

  it('gives most staff a work email on a reserved example domain, and leaves some without one', () => {
    const staff = practices.flatMap((practice) => practice.staff);
    const withEmail = staff.filter((member) => member.email !== undefined);
    expect(withEmail.length).toBeGreaterThan(staff.length / 2);
    expect(withEmail.length).toBeLessThan(staff.length);
    for (const member of withEmail) expect(member.email).toMatch(/@nhs\.gpsim\.example$/);
  });

  it('uses Ofcom drama numbers for phones, never real lines', () => {
    for (const practice of practices) expect(practice.phone).toMatch(/^01632 960\d{3}$/);
  });

  it('refuses estates that do not fit the 999 test range', () => {
    expect(() => defaultPopulation({ practices: 60, patientsPerPractice: 20_000 })).toThrow(
      /does not fit the NHS test range/,
    );
  });

  it('refuses list sizes too small to hold the archetypes or above 20,000', () => {
    expect(() => defaultPopulation({ patientsPerPractice: 5 })).toThrow(/patients per practice/);
    expect(() => defaultPopulation({ patientsPerPractice: 20_001 })).toThrow(/patients per practice/);
  });
});
