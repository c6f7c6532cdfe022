import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Role } from '../definitions/roles.ts';

export interface UserDirectoryProps {
  /** The roles of factuur, most powerful last (roles.ts order); each becomes a group. */
  readonly roles: readonly Role[];
  /** Origin of the portal (token, or literal): OAuth callback and sign-out URL of the portal client. */
  readonly portalOrigin: string;
  /** Prefix of the hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`); default `factuur-<account>`. */
  readonly signInDomainPrefix?: string;
}

/**
 * The Cognito user pool of the portal users: invitation only (no self sign-up), email sign-in, strong passwords,
 * TOTP MFA required, Plus feature plan with threat protection enforced (cdk-nag COG8; a firm has few users),
 * one group per role and one public client (no secret, SRP and authorization code + PKCE) for the portal.
 */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly portalClient: UserPoolClient;
  readonly groups: ReadonlyMap<Role, CfnUserPoolGroup>;
  /** The hosted sign-in pages the portal's authorization code flow goes through. */
  readonly signInDomain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const groups = new Map<Role, CfnUserPoolGroup>();
    props.roles.forEach((role, index) => {
      groups.set(
        role,
        new CfnUserPoolGroup(this, `Group${role.charAt(0).toUpperCase()}${role.slice(1)}`, {
          userPoolId: this.userPool.userPoolId,
          groupName: role,
          description: `factuur role ${role}`,
          // Lower precedence wins in cognito:preferred_role; the most powerful role (last) gets 0.
          precedence: props.roles.length - 1 - index,
        }),
      );
    });
    this.groups = groups;

    this.portalClient = this.userPool.addClient('PortalClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.portalOrigin}/`, `${props.portalOrigin}/callback`],
        logoutUrls: [`${props.portalOrigin}/`],
      },
    });
    this.signInDomain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `factuur-${Stack.of(this).account}` },
    });
  }
}
