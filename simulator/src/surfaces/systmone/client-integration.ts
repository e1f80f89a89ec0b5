import { randomUUID } from 'node:crypto';
import { systmone } from '@gpsim/contracts';
import type { z } from 'zod';
import { isSimError } from '../../domain/errors';
import type { Practice, StaffUser } from '../../domain/estate';
import type { PartnerCredentials, SystmOneFunction } from '../../domain/partners';
import { assertUserMayCall, partnerCredentials, systmOneFunctions } from '../../domain/partners';
import type { Engine } from '../../engine';
import { checkReply } from '../../transport/contract-check';
import type { RequestAnnotations } from '../../transport/types';
import { desktopUser } from './desktops';
import { systmOneFunctionHandlers } from './functions';
import type { EchoFields } from './systmone-errors';
import { echoElements, errorCodeOf, errorDocument, httpStatusOf, systmOneError } from './systmone-errors';
import type { XmlElement, XmlLimits } from '../shared/xml';
import { child, childText, el, parseXml, xmlToPlain } from '../shared/xml';

/** Every function's reply contract (checked under --check-responses); a function without one fails to compile. */
const replyContracts: Readonly<Record<SystmOneFunction, z.ZodType>> = systmone.ClientIntegrationReplies;
/** gpsim's own replies are parsed to be checked, so the request-sized limits do not apply. */
const OWN_REPLY_LIMITS: XmlLimits = { maxBytes: Infinity, maxDepth: 64, maxElements: Infinity };

/** Function versions gpsim answers; the public example uses 1.0. */
const SUPPORTED_VERSIONS = ['1.0'];
/** Functions that change something: a repeated RequestUID returns the first answer. */
const WRITE_FUNCTIONS: ReadonlySet<SystmOneFunction> = new Set([
  'UpdatePatientRecord',
  'CreateTask',
  'LaunchFunctionality',
  'BookAppointment',
]);

export interface FunctionContext {
  engine: Engine;
  practice: Practice;
  user: StaffUser;
  partner: PartnerCredentials;
  deviceId: string;
  requestUid: string;
  parameters: XmlElement | undefined;
}

export interface ClientIntegrationResult {
  status: number;
  body: string;
}

/**
 * One ClientIntegrationRequest document in, one ClientIntegrationResponse out, whichever carriage
 * (TCP or HTTP) brought it: parse (bounded), authenticate the API key and device, check the
 * practice runs SystmOne and has enabled this partner and function, then run the function.
 */
export async function handleClientIntegration(
  engine: Engine,
  ods: string,
  username: string | undefined,
  body: Buffer,
  annotations: RequestAnnotations,
): Promise<ClientIntegrationResult> {
  const echo: EchoFields = {};
  const responseUid = randomUUID().toUpperCase();
  try {
    const document = parseXml(body);
    if (document.name !== 'ClientIntegrationRequest') {
      throw systmOneError(
        'invalid-request',
        'MalformedXML',
        `The root element must be ClientIntegrationRequest, not ${document.name}.`,
      );
    }
    echo.requestUid = childText(document, 'RequestUID');
    echo.function = childText(document, 'Function');
    echo.deviceId = childText(document, 'DeviceID');
    echo.functionVersion = childText(document, 'FunctionVersion');
    annotations.ods = ods;
    if (echo.function) annotations.interaction = echo.function;
    if (echo.requestUid !== undefined) annotations.idempotencyKey = echo.requestUid.slice(0, 200);
    const context = await authorise(engine, ods, username, document, echo, annotations);
    const fn = echo.function as SystmOneFunction;
    const run = async () => {
      const response = await systmOneFunctionHandlers[fn](context);
      return `<?xml version="1.0" encoding="utf-8"?>${
        el(
          'ClientIntegrationResponse',
          null,
          echoElements(echo),
          el('ResponseUID', null, responseUid),
          el('Response', null, response),
        ).xml
      }`;
    };
    const checked = async () => {
      const xml = await run();
      if (engine.checkResponses) {
        const plain = xmlToPlain(parseXml(xml, OWN_REPLY_LIMITS), { dropEmpty: false });
        checkReply(replyContracts[fn], plain, `SystmOne ${fn}`, engine.logger, context.requestUid);
      }
      return xml;
    };
    const xml = WRITE_FUNCTIONS.has(fn)
      ? await engine.idempotentReplies.once(`systmone:${context.deviceId}:${context.requestUid}`, checked)
      : await checked();
    return { status: 200, body: xml };
  } catch (error) {
    if (!isSimError(error)) throw error;
    // A refusal of a known partner is audited too (the call never reached a patient-level audit).
    if (annotations.clientId !== undefined) {
      await engine.audit({
        surface: 'systmone',
        action: `call:${echo.function ?? 'unknown'}`,
        clientId: annotations.clientId,
        organisation: ods,
        ...(username !== undefined ? { user: username } : {}),
        reason: errorCodeOf(error),
        ...(echo.requestUid !== undefined ? { traceId: echo.requestUid } : {}),
        outcome: 'refused',
      });
    }
    return { status: httpStatusOf(error), body: errorDocument(error, echo, responseUid) };
  }
}

/**
 * The partner's registered DeviceID names the machine the desktop runs on; SystmOne lets a user
 * work there only on a device they have validated by two-factor passcode (Internet SystmOne guide,
 * "Two-Factor Authentication"). The default desktop (the practice's first GP) counts as validated on
 * the partner's registered device, so a first call succeeds; any other user validates it first.
 */
function assertDeviceTrusted(engine: Engine, practice: Practice, user: StaffUser, deviceId: string): void {
  if (user === desktopUser(practice, undefined) || engine.devices.isTrusted(user, deviceId)) return;
  throw systmOneError(
    'forbidden',
    'DeviceNotTrusted',
    `${user.username} has not validated device ${deviceId}: POST /__sim/devices/login {"username":"${user.username}","deviceId":"${deviceId}"}, then POST /__sim/devices/verify with the passcode from GET /__sim/mailbox, and retry.`,
    'DeviceID',
  );
}

async function authorise(
  engine: Engine,
  ods: string,
  username: string | undefined,
  document: XmlElement,
  echo: EchoFields,
  annotations: RequestAnnotations,
): Promise<FunctionContext> {
  for (const field of ['RequestUID', 'Function', 'APIKey', 'DeviceID', 'FunctionVersion'] as const) {
    if (childText(document, field) === undefined) {
      throw systmOneError(
        'invalid-request',
        'MalformedXML',
        `ClientIntegrationRequest needs a ${field} element.`,
        field,
      );
    }
  }
  const apiKey = childText(document, 'APIKey') as string;
  const partner = partnerCredentials(engine.population.estate.spec.seed).find(
    (candidate) => candidate.apiKey === apiKey,
  );
  if (!partner) {
    throw systmOneError(
      'unauthorised',
      'InvalidAPIKey',
      'The APIKey is not one TPP issued; use a partner apiKey from GET /__sim/fixtures (partners).',
      'APIKey',
    );
  }
  annotations.clientId = partner.name;
  if (echo.deviceId !== partner.deviceId) {
    throw systmOneError(
      'unauthorised',
      'DeviceNotRegistered',
      `Device ${echo.deviceId ?? ''} is not registered for ${partner.name}; send the deviceId from GET /__sim/fixtures (partners).`,
      'DeviceID',
    );
  }
  const fn = echo.function as string;
  if (!(systmOneFunctions as readonly string[]).includes(fn)) {
    throw systmOneError(
      'not-implemented',
      'UnknownFunction',
      `Unknown function ${fn}; gpsim supports ${systmOneFunctions.join(', ')}.`,
      'Function',
    );
  }
  if (!SUPPORTED_VERSIONS.includes(echo.functionVersion as string)) {
    throw systmOneError(
      'not-implemented',
      'UnsupportedFunctionVersion',
      `${fn} version ${echo.functionVersion ?? ''} is not supported; send FunctionVersion ${SUPPORTED_VERSIONS.join(' or ')}.`,
      'FunctionVersion',
    );
  }
  const practice = engine.population.practice(ods);
  if (!practice) {
    throw systmOneError(
      'practice-not-found',
      'PracticeNotFound',
      `No practice ${ods}; see GET /__sim/fixtures for ODS codes.`,
    );
  }
  if (practice.system !== 'systmone') {
    throw systmOneError(
      'forbidden',
      'WrongClinicalSystem',
      `Practice ${ods} runs EMIS Web, not SystmOne: use the EMIS partner API for it, or a SystmOne practice from GET /__sim/fixtures.`,
    );
  }
  const settings = (await engine.practiceSettings.get(practice)).partners[partner.name];
  if (settings?.enabled !== true) {
    throw systmOneError(
      'forbidden',
      'FunctionNotEnabled',
      `Practice ${ods} has not authorised ${partner.name}; enable it with PATCH /__sim/practices/${ods} {"partners":{"${partner.name}":{"enabled":true}}}.`,
    );
  }
  if (settings.functions[fn] === false) {
    throw systmOneError(
      'forbidden',
      'FunctionNotEnabled',
      `Practice ${ods} has not enabled ${fn} for ${partner.name}; enable it with PATCH /__sim/practices/${ods} {"partners":{"${partner.name}":{"functions":{"${fn}":true}}}}.`,
      'Function',
    );
  }
  const user = desktopUser(practice, username);
  assertDeviceTrusted(engine, practice, user, partner.deviceId);
  assertUserMayCall(user, fn as SystmOneFunction);
  return {
    engine,
    practice,
    user,
    partner,
    deviceId: partner.deviceId,
    requestUid: echo.requestUid as string,
    parameters: child(document, 'FunctionParameters'),
  };
}
