import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CarafeError } from '../errors.js';
import { checkObject, checkPositiveInteger, registerSetting, resolveConfig } from './index.js';

// A pretend battery setting, declared the way a battery declares its own.
declare module 'carafe' {
  interface CarafeConfig {
    registryTestWidget?: { size?: number | undefined } | undefined;
    registryTestBroken?: boolean | undefined;
  }
  interface ResolvedConfig {
    readonly registryTestWidget?: { readonly size: number; readonly debug: boolean };
    readonly registryTestBroken?: boolean;
  }
}

const production = { secretKey: 's'.repeat(32), allowedHosts: ['example.com'] };
const resolve = (input: object) => resolveConfig(input, { env: {}, onWarning: () => {} });

registerSetting('registryTestWidget', {
  resolve(value, context) {
    const given =
      value === undefined ? {} : checkObject(value, ['size'], 'registryTestWidget', context);
    const size =
      given.size === undefined
        ? 1
        : checkPositiveInteger(given.size, 'registryTestWidget.size', context, 'items', 1);
    return { size, debug: context.debug };
  },
});

function assertConfigError(action: () => unknown, ...fragments: string[]) {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof CarafeError);
    assert.equal(error.code, 'CARAFE_CONFIG');
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), error.message);
    return true;
  });
}

describe('registerSetting', () => {
  it('adds a setting with its default', () => {
    assert.deepEqual(resolve(production).registryTestWidget, { size: 1, debug: false });
    assert.deepEqual(resolve({ debug: true }).registryTestWidget, { size: 1, debug: true });
  });

  it('validates what the user wrote', () => {
    assert.deepEqual(
      resolve({ ...production, registryTestWidget: { size: 5 } }).registryTestWidget,
      {
        size: 5,
        debug: false,
      },
    );
    assertConfigError(
      () => resolve({ ...production, registryTestWidget: { size: -2 } }),
      'Invalid configuration: registryTestWidget.size must be a positive integer (got -2). Give a whole number of items',
    );
    assertConfigError(
      () => resolve({ ...production, registryTestWidget: { sise: 2 } }),
      'registryTestWidget.sise is not a setting Carafe knows. Did you mean registryTestWidget.size?',
    );
  });

  it('reports battery problems together with the core ones', () => {
    assertConfigError(
      () => resolve({ registryTestWidget: { size: 0 } }),
      '(3 problems)',
      'secretKey is missing',
      'allowedHosts is missing',
      'registryTestWidget.size must be a positive integer',
    );
  });

  it('makes registered names known to the misspelling check', () => {
    assertConfigError(
      () => resolve({ ...production, registryTestWidgt: {} }),
      'registryTestWidgt is not a setting Carafe knows. Did you mean registryTestWidget?',
    );
  });

  it('lets errors other than reported problems through', () => {
    const bug = new TypeError('battery bug');
    registerSetting('registryTestBroken', {
      resolve() {
        throw bug;
      },
    });
    assert.throws(
      () => resolve(production),
      (error) => error === bug,
    );
  });

  it('refuses a name that is already taken', () => {
    assertConfigError(
      () => registerSetting('debug', { resolve: () => true }),
      'The setting "debug" is already defined by the core',
    );
    assertConfigError(
      () => registerSetting('registryTestWidget', { resolve: () => ({ size: 1, debug: false }) }),
      'The setting "registryTestWidget" is already defined by another registerSetting call',
    );
  });
});
