import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
  type HttpRoute,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../definitions/routes.ts';
import { pascalCase } from '../stack-definitions.ts';

export interface PortalApiProps {
  readonly routes: readonly RouteDefinition[];
  readonly functionOf: (handler: string) => IFunction;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** The only origin CORS allows (the portal). */
  readonly allowedOrigin: string;
}

/** Fields of one access log line (HTTP API `$context` variables), written as JSON. */
const accessLogFields = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integration.latency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  subject: '$context.authorizer.claims.sub',
};

/**
 * The portal's HTTP API, generated from the route table: one route per entry, each a Lambda proxy integration
 * (payload format 2.0) to that handler's function. Every non-public route needs a Cognito JWT (the handler then
 * checks the role from `cognito:groups`); public routes are acknowledged for cdk-nag APIG4 one by one.
 * CORS allows only the portal origin. The `$default` stage logs every request as JSON and is throttled.
 */
export class PortalApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly routes: ReadonlyMap<string, HttpRoute>;

  constructor(scope: Construct, id: string, props: PortalApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'factuur portal API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.allowedOrigin],
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PUT,
          CorsHttpMethod.PATCH,
          CorsHttpMethod.DELETE,
          CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match'],
        exposeHeaders: ['etag', 'location'],
        allowCredentials: false,
        maxAge: Duration.hours(1),
      },
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    const authorizer = new HttpUserPoolAuthorizer('CognitoJwt', props.userPool, {
      userPoolClients: [props.userPoolClient],
    });
    const integrations = new Map<string, HttpLambdaIntegration>();
    const routes = new Map<string, HttpRoute>();

    for (const route of props.routes) {
      let integration = integrations.get(route.handler);
      if (!integration) {
        integration = new HttpLambdaIntegration(
          `${pascalCase(route.handler)}Integration`,
          props.functionOf(route.handler),
          {
            payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
          },
        );
        integrations.set(route.handler, integration);
      }
      const routeKey = `${route.method} ${route.path}`;
      const isPublic = route.access === 'public';
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer: isPublic ? new HttpNoneAuthorizer() : authorizer,
      });
      if (!created) throw new Error(`No route created for ${routeKey}`);
      if (isPublic) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey} is declared public in infra/definitions/routes.ts and needs no token.`,
        });
      }
      routes.set(routeKey, created);
    }
    this.routes = routes;
  }

  /** The API's base URL (the `$default` stage). */
  get url(): string {
    return this.stage.url;
  }
}
