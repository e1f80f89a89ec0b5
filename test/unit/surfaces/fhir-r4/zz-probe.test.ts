test('probe', async () => {
  const mod = await import('fhir-kit-client');
  expect(typeof mod.Client).toBe('function');
});
