import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 180_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/local-cloud.setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['functions/**/*.ts'],
      thresholds: {
        'functions/domain/**/*.ts': { lines: 95 },
        // The use cases behind ports, by their in-memory unit tests (test/unit/invoices/).
        'functions/invoices/use-cases/**/*.ts': { lines: 90 },
        // The rest of the invoices feature (credit notes, excluded work, the public header), with the API tests.
        'functions/invoices/**/*.ts': { lines: 90 },
        // Send to customer and the deliveries behind their ports (test/unit/sending/).
        'functions/sending/**/*.ts': { lines: 90 },
        // Payments, reminders, setup and manual invoicing, by their in-memory unit tests (test/unit/<folder>/).
        'functions/payments/**/*.ts': { lines: 90 },
        'functions/reminders/**/*.ts': { lines: 90 },
        'functions/setup/**/*.ts': { lines: 90 },
        'functions/manual-invoicing/**/*.ts': { lines: 90 },
        // The invoice-run steps behind their ports (test/unit/invoice-runs/).
        'functions/invoice-runs/**/*.ts': { lines: 90 },
      },
    },
  },
});
