import { MessagingNames } from './messaging-names';

describe('MessagingNames', () => {
  it('uses the contracts names as they are in production', () => {
    const names = MessagingNames.production;
    expect(names.streamOf('procurement')).toBe('PROCUREMENT');
    expect(names.subjectsOf('procurement')).toBe('fleet.procurement.>');
    expect(names.subjectOf('inventory', 'us-tx-01', 'RigRegistered')).toBe(
      'fleet.inventory.us-tx-01.RigRegistered',
    );
    expect(names.deadLetterStream).toBe('DEAD_LETTERS');
    expect(names.deadLetterSubject('inventory-ShipmentUnitsReceived')).toBe(
      'fleet.dead-letter.inventory-ShipmentUnitsReceived',
    );
  });

  it('prefixes every stream and subject inside a namespace, and maps subjects back', () => {
    const names = MessagingNames.namespaced('t_ab12');
    expect(names.streamOf('procurement')).toBe('T_AB12_PROCUREMENT');
    expect(names.subjectsOf('procurement')).toBe('t_ab12.fleet.procurement.>');
    expect(names.deadLetterStream).toBe('T_AB12_DEAD_LETTERS');
    expect(names.deadLetterSubjects).toBe('t_ab12.fleet.dead-letter.>');
    const wire = names.subjectOf('procurement', 'us-tx-01', 'ShipmentUnitsReceived');
    expect(wire).toBe('t_ab12.fleet.procurement.us-tx-01.ShipmentUnitsReceived');
    expect(names.fromWire(wire)).toBe('fleet.procurement.us-tx-01.ShipmentUnitsReceived');
    expect(() => names.fromWire('fleet.procurement.us-tx-01.X')).toThrow(/outside messaging namespace/);
    expect(names.streamNames).toContain('T_AB12_INVENTORY');
    expect(names.streamNames.every((stream) => stream.startsWith('T_AB12_'))).toBe(true);
  });

  it('refuses namespaces that would break a subject or a stream name', () => {
    for (const bad of ['', 'T_X', 'a.b', 'a*', 'a>', '1abc', 'a b'])
      expect(() => MessagingNames.namespaced(bad)).toThrow(/namespace/);
    expect(MessagingNames.isolated().namespace).toMatch(/^t_[0-9a-f]{10}$/);
    expect(MessagingNames.isolated().namespace).not.toBe(MessagingNames.isolated().namespace);
  });

  it('finds the bounded context of a subject or pattern', () => {
    expect(MessagingNames.contextOf('fleet.procurement.*.ShipmentUnitsReceived')).toBe('procurement');
    expect(() => MessagingNames.contextOf('fleet.payroll.*.X')).toThrow(/not a Fleet event subject/);
    expect(() => MessagingNames.contextOf('other.procurement.>')).toThrow(/not a Fleet event subject/);
  });
});
