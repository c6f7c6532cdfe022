import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it, vi } from 'vitest';
import { roles } from '../../../infra/definitions/roles.ts';
import { routes } from '../../../infra/definitions/routes.ts';
import { fixtureDefinitions } from '../../fixtures/definitions.ts';
import { fixtureStack, productionStack, resourceId, synth } from './synth.ts';

// Synthesizing a stack takes seconds on a shared 2-core machine (the first one in a file longer).
vi.setConfig({ testTimeout: 60_000 });

describe('HTTP API from the route table', () => {
  it('has exactly one route per route-table entry (production and fixture tables)', () => {
    for (const [{ template }, table] of [
      [productionStack(), routes],
      [fixtureStack(), fixtureDefinitions.routes],
    ] as const) {
      const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
      expect(keys.sort()).toEqual(table.map((route) => `${route.method} ${route.path}`).sort());
    }
  });

  it('integrates each route with its handler function as Lambda proxy, payload 2.0', () => {
    const { template } = fixtureStack();
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', fixtureDefinitions.routes.length);
    template.allResourcesProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    const healthFunction = resourceId(template, 'AWS::Lambda::Function', 'HandlersApiHealthFunction');
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: { 'Fn::GetAtt': [healthFunction, 'Arn'] },
    });
  });

  it('public routes have no authorizer, every other route the Cognito JWT authorizer', () => {
    const { template } = fixtureStack();
    const authorizer = resourceId(template, 'AWS::ApiGatewayV2::Authorizer', 'PortalApiCognitoJwt');
    for (const route of fixtureDefinitions.routes) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${route.method} ${route.path}`,
        ...(route.access === 'public'
          ? { AuthorizationType: 'NONE', AuthorizerId: Match.absent() }
          : { AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizer } }),
      });
    }
    const userPool = resourceId(template, 'AWS::Cognito::UserPool', 'UsersUserPool');
    const client = resourceId(template, 'AWS::Cognito::UserPoolClient', 'UsersUserPoolPortalClient');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: client }],
        Issuer: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ Ref: userPool }])] }),
      },
    });
  });

  it('allows CORS only from the portal origin (the distribution by default, the context origin when given)', () => {
    const { template } = productionStack();
    const distribution = resourceId(template, 'AWS::CloudFront::Distribution', 'PortalDistribution');
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }]] }],
        AllowCredentials: false,
      }),
    });
    const custom = synth({ context: { portalDomain: 'portal.firm.example' } }).template;
    custom.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://portal.firm.example'] }),
    });
    custom.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://portal.firm.example/', 'https://portal.firm.example/callback'],
    });
  });

  it('logs every request of the $default stage as JSON to a log group and throttles', () => {
    const { template } = productionStack();
    const logGroup = resourceId(template, 'AWS::Logs::LogGroup', 'PortalApiAccessLogs');
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logGroup, 'Arn'] },
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
      DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
    });
  });
});

describe('Cognito user pool', () => {
  const { template } = productionStack();

  it('has one group per role', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', roles.length);
    for (const role of roles) template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin', Precedence: 0 });
  });

  it('is invitation-only with required TOTP MFA and a public portal client', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      DeletionProtection: 'ACTIVE',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
    });
  });

  it('has a hosted sign-in domain for the portal, which returns to the portal at / or /callback', () => {
    const userPool = resourceId(template, 'AWS::Cognito::UserPool', 'UsersUserPool');
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      UserPoolId: { Ref: userPool },
      Domain: Match.anyValue(),
    });
    const client = Object.values(template.findResources('AWS::Cognito::UserPoolClient'))[0] as {
      Properties: { CallbackURLs: unknown[] };
    };
    expect(client.Properties.CallbackURLs).toHaveLength(2);
    expect(JSON.stringify(client.Properties.CallbackURLs[1])).toContain('/callback');
  });
});
