import { z } from 'zod';
import * as oauth from '../oauth/oauth';
import type { SurfaceContract } from './operation';
import { described, json } from './response';

const SMART = 'SMART App Launch 2.2 (hl7.org/fhir/smart-app-launch)';
const oauthErrors = json(oauth.OAuthError, 'RFC 6749 §5.2 error');
export const smartContract: SurfaceContract = {
  surface: 'smart',
  title: 'gpsim authorisation server (SMART App Launch, OIDC)',
  description:
    'Discovery, authorize, token, introspection and userinfo for SMART apps, EMIS-X–style launch and staff login.',
  operations: [
    {
      method: 'get',
      path: '/.well-known/smart-configuration',
      operationId: 'smartConfiguration',
      summary: 'SMART configuration',
      citation: `${SMART}: conformance`,
      tags: ['discovery'],
      responses: { 200: json(oauth.SmartConfiguration) },
    },
    {
      method: 'get',
      path: '/fhir/R4/.well-known/smart-configuration',
      operationId: 'fhirSmartConfiguration',
      summary: 'SMART configuration under the FHIR base',
      citation: `${SMART}: conformance`,
      tags: ['discovery'],
      responses: { 200: json(oauth.SmartConfiguration) },
    },
    {
      method: 'get',
      path: '/.well-known/openid-configuration',
      operationId: 'openidConfiguration',
      summary: 'OpenID Connect discovery',
      citation: 'OpenID Connect Discovery 1.0 §3',
      tags: ['discovery'],
      responses: { 200: json(oauth.OpenIdConfiguration) },
    },
    {
      method: 'get',
      path: '/oauth/jwks',
      operationId: 'jwks',
      summary: 'Signing keys',
      citation: 'RFC 7517',
      tags: ['discovery'],
      responses: { 200: json(oauth.Jwks) },
    },
    {
      method: 'get',
      path: '/oauth/authorize',
      operationId: 'authorize',
      summary: 'Authorize (login and consent, or redirect)',
      citation: 'RFC 6749 §4.1.1',
      tags: ['authorize'],
      responses: {
        200: described('Login or consent page'),
        302: described('Redirect to the app with code or error'),
        default: oauthErrors,
      },
    },
    {
      method: 'post',
      path: '/oauth/token',
      operationId: 'token',
      summary: 'Token',
      citation: 'RFC 6749 §4.1.3, §5',
      tags: ['token'],
      body: { contentType: 'application/x-www-form-urlencoded', schema: oauth.TokenRequest },
      responses: { 200: json(oauth.TokenResponse), default: oauthErrors },
    },
    {
      method: 'post',
      path: '/oauth/introspect',
      operationId: 'introspect',
      summary: 'Token introspection',
      citation: 'RFC 7662',
      tags: ['token'],
      responses: { 200: json(oauth.IntrospectionResponse), default: oauthErrors },
    },
    {
      method: 'get',
      path: '/oauth/userinfo',
      operationId: 'userinfo',
      summary: 'User info',
      citation: 'OpenID Connect Core 1.0 §5.3',
      tags: ['token'],
      responses: { 200: json(z.looseObject({ sub: z.string() })), default: oauthErrors },
    },
  ],
};
