/**
 * The demo firm: a Dutch consultancy. Later issues add customers, projects and work here.
 * Items are in the table's stored form (see functions/adapters/dynamodb/table-design.md).
 */
export function demoItems(): Record<string, unknown>[] {
  return [
    {
      pk: 'FIRM',
      sk: 'PROFILE',
      entity: 'FirmProfile',
      name: 'Polder Advies B.V.',
      address: { line1: 'Keizersgracht 123', postalCode: '1015 CJ', city: 'Amsterdam', country: 'NL' },
      vatNumber: 'NL859999999B01',
      chamberOfCommerce: '12345678',
      iban: 'NL91ABNA0417164300',
      email: 'facturen@polderadvies.example',
      timeZone: 'Europe/Amsterdam',
    },
  ];
}
