import { loadConfig } from '../../src/rotation/config';
import { MINIMAL_ENV as ENV } from './config-env';

describe('loadConfig: manual consumers and the Parameter Store copy', () => {
  it('has neither by default', () => {
    const config = loadConfig(ENV);
    expect(config.manualConsumers).toBeUndefined();
    expect(config.parameterCopy).toBeUndefined();
  });

  it('reads the table, the alarm threshold (default 7), the parameter and its key', () => {
    const config = loadConfig({
      ...ENV,
      MANUAL_CONSUMERS_TABLE: 'Stack-ManualConsumers-1AB',
      PARAMETER_STORE_NAME: '/mail/ses-smtp',
      PARAMETER_STORE_KMS_KEY_ID: 'alias/mail',
    });
    expect(config.manualConsumers).toEqual({ tableName: 'Stack-ManualConsumers-1AB', alarmAfterDays: 7 });
    expect(config.parameterCopy).toEqual({ name: '/mail/ses-smtp', kmsKeyId: 'alias/mail' });
  });

  it.each([
    [{ MANUAL_CONSUMERS_TABLE: 'a b' }, /MANUAL_CONSUMERS_TABLE must be a DynamoDB table name/],
    [
      { MANUAL_CONSUMERS_TABLE: 'tbl', MANUAL_CONSUMERS_ALARM_AFTER_DAYS: '0' },
      /ALARM_AFTER_DAYS must be a whole number from 1 to 90/,
    ],
    [{ PARAMETER_STORE_NAME: '/aws/x' }, /PARAMETER_STORE_NAME must be a parameter name/],
    [{ PARAMETER_STORE_KMS_KEY_ID: 'alias/x' }, /PARAMETER_STORE_KMS_KEY_ID applies only with PARAMETER_STORE_NAME/],
  ])('refuses %j, naming the variable', (extra, message) => {
    expect(() => loadConfig({ ...ENV, ...extra })).toThrow(message);
  });
});
