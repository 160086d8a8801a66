import { Names } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { RESULT_MARKER } from '../../src/core/document-contract';

/** The log groups the saved queries read. */
export interface RotationQueriesProps {
  readonly secretArn: string;
  readonly functionLogGroup: logs.ILogGroup;
  readonly commandOutputLogGroup: logs.ILogGroup;
  /** Folder the queries are saved under. @default `ses-smtp-rotation/<the scope's unique name>` */
  readonly folder?: string;
}

/**
 * Saved CloudWatch Logs Insights queries for the runbook, over the function's structured log fields (step,
 * secretArn, versionId, commandId, hostsUpdated, failedHosts, event) and the hosts' command output. Names carry
 * the construct's unique name so several installations list apart.
 */
export class RotationQueries extends Construct {
  readonly lastRotation: logs.QueryDefinition;
  readonly failedHosts: logs.QueryDefinition;
  readonly hostResults: logs.QueryDefinition;
  /** Folder the three queries are saved under in the console. */
  readonly folder: string;

  constructor(scope: Construct, id: string, props: RotationQueriesProps) {
    super(scope, id);
    this.folder =
      props.folder ?? `ses-smtp-rotation/${Names.uniqueResourceName(scope, { maxLength: 120, separator: '-' })}`;
    const thisSecret = `secretArn = '${props.secretArn}'`;

    this.lastRotation = new logs.QueryDefinition(this, 'LastRotation', {
      queryDefinitionName: `${this.folder}/last-rotations`,
      logGroups: [props.functionLogGroup],
      queryString: new logs.QueryString({
        filterStatements: [thisSecret, 'ispresent(versionId)'],
        statsStatements: [
          'latest(@timestamp) as lastSeen, latest(step) as lastStep, latest(event) as lastEvent, ' +
            'latest(commandId) as command, max(hostsUpdated) as hosts by versionId',
        ],
        sort: 'lastSeen desc',
        limit: 10,
      }),
    });

    this.failedHosts = new logs.QueryDefinition(this, 'FailedHosts', {
      queryDefinitionName: `${this.folder}/hosts-that-failed`,
      logGroups: [props.functionLogGroup],
      queryString: new logs.QueryString({
        fields: ['@timestamp', 'versionId', 'commandId', 'hostsUpdated', '@message'],
        filterStatements: [thisSecret, "event = 'push-failed'"],
        sort: '@timestamp desc',
        limit: 50,
      }),
    });

    this.hostResults = new logs.QueryDefinition(this, 'HostResults', {
      queryDefinitionName: `${this.folder}/host-results`,
      logGroups: [props.commandOutputLogGroup],
      queryString: new logs.QueryString({
        // Stream names are <commandId>/<instanceId>/<plugin>/<stdout|stderr>.
        fields: ['@timestamp', '@logStream', '@message'],
        filterStatements: [`@message like '${RESULT_MARKER}'`],
        sort: '@timestamp desc',
        limit: 200,
      }),
    });
  }
}
