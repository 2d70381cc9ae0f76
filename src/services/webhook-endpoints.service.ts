import type { Clock, IdGenerator } from '../domain/clock.js';
import { DomainError, validationError } from '../domain/errors.js';
import { newSigningSecret } from '../domain/standard-webhook.js';
import {
  DEFAULT_ROTATION_OVERLAP_HOURS,
  EVENT_FAMILIES,
  MAX_ENDPOINTS_PER_APP,
  type EventFamily,
  type WebhookEndpoint,
} from '../domain/webhook-endpoint.js';
import { refusedUrl, type TargetPolicy } from '../domain/webhook-target-policy.js';
import { appScope } from './app-scope.js';
import type { Principal } from './principal.js';
import type { WebhookEndpointStore } from './webhook-ports.js';

export interface EndpointInput {
  url?: string;
  // A family set to null goes back to the generic URL.
  urls?: Partial<Record<EventFamily, string | null>>;
  description?: string | null;
  status?: 'enabled' | 'disabled';
}

// An endpoint with the secret that was just made: shown once (create, rotate), never again.
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

const HOUR_MS = 3_600_000;

// POST/GET/PATCH/DELETE /api/v1/webhook-endpoints: an app's endpoints, under its own key.
export class WebhookEndpointsService {
  constructor(
    private readonly store: WebhookEndpointStore,
    private readonly policy: TargetPolicy,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly newSecret: () => string = newSigningSecret,
  ) {}

  async create(principal: Principal, requestedApp: string | undefined, input: EndpointInput & { url: string }): Promise<EndpointWithSecret> {
    const appId = appScope(principal, requestedApp);
    this.checkUrls(input);
    const now = this.clock.now().toISOString();
    const secret = this.newSecret();
    const endpoint: WebhookEndpoint = {
      id: this.ids.newId(),
      appId,
      url: input.url,
      familyUrls: familyUrls({}, input.urls),
      description: input.description ?? null,
      status: input.status ?? 'enabled',
      disabledReason: input.status === 'disabled' ? 'by_app' : null,
      disabledAt: input.status === 'disabled' ? now : null,
      lastSuccessAt: null,
      secrets: [{ secret, createdAt: now, expiresAt: null }],
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    if ((await this.store.create(endpoint, MAX_ENDPOINTS_PER_APP)) === 'limit_reached') {
      throw new DomainError('CONFLICT', `An app may have at most ${MAX_ENDPOINTS_PER_APP} webhook endpoints; delete one first`);
    }
    return { endpoint, secret };
  }

  async list(principal: Principal, requestedApp: string | undefined): Promise<WebhookEndpoint[]> {
    const endpoints = await this.store.list(appScope(principal, requestedApp));
    return endpoints.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async get(principal: Principal, requestedApp: string | undefined, id: string): Promise<WebhookEndpoint> {
    return this.find(appScope(principal, requestedApp), id);
  }

  async update(principal: Principal, requestedApp: string | undefined, id: string, input: EndpointInput): Promise<WebhookEndpoint> {
    const appId = appScope(principal, requestedApp);
    this.checkUrls(input);
    return this.change(appId, id, (current, now) => {
      const reEnabled = input.status === 'enabled' && current.status === 'disabled';
      const disabled = input.status === 'disabled' && current.status === 'enabled';
      return {
        ...current,
        url: input.url ?? current.url,
        familyUrls: familyUrls(current.familyUrls, input.urls),
        description: input.description === undefined ? current.description : input.description,
        status: input.status ?? current.status,
        disabledReason: reEnabled ? null : disabled ? 'by_app' : current.disabledReason,
        disabledAt: reEnabled ? null : disabled ? now : current.disabledAt,
      };
    });
  }

  async delete(principal: Principal, requestedApp: string | undefined, id: string): Promise<void> {
    const appId = appScope(principal, requestedApp);
    if (!(await this.store.delete(appId, id))) throw notFound(id);
  }

  // A new secret signs from now on; the one it replaces keeps signing for `overlapHours` (both
  // signatures are sent meanwhile), so receivers can switch without losing a delivery.
  async rotateSecret(principal: Principal, requestedApp: string | undefined, id: string, overlapHours = DEFAULT_ROTATION_OVERLAP_HOURS): Promise<EndpointWithSecret> {
    const appId = appScope(principal, requestedApp);
    const secret = this.newSecret();
    const endpoint = await this.change(appId, id, (current, now) => {
      const previous = current.secrets.find((s) => s.expiresAt === null);
      const expiresAt = new Date(new Date(now).getTime() + overlapHours * HOUR_MS).toISOString();
      return {
        ...current,
        // Older overlaps end now: at most two secrets sign at once.
        secrets: [{ secret, createdAt: now, expiresAt: null }, ...(previous && overlapHours > 0 ? [{ ...previous, expiresAt }] : [])],
      };
    });
    return { endpoint, secret };
  }

  private async find(appId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = id.length > 255 ? null : await this.store.get(appId, id);
    if (!endpoint) throw notFound(id);
    return endpoint;
  }

  // Read, change, write conditioned on the version read; a concurrent change is re-read (3 tries).
  private async change(appId: string, id: string, apply: (current: WebhookEndpoint, now: string) => Omit<WebhookEndpoint, 'version' | 'updatedAt'>): Promise<WebhookEndpoint> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.find(appId, id);
      const now = this.clock.now().toISOString();
      const next: WebhookEndpoint = { ...apply(current, now), version: current.version + 1, updatedAt: now };
      if (await this.store.update(next, current.version)) return next;
    }
    throw new DomainError('CONFLICT', `Webhook endpoint ${id} is being changed by another request; try again`);
  }

  private checkUrls(input: EndpointInput): void {
    const check = (field: string, url: string) => {
      const why = refusedUrl(url, this.policy);
      if (why) throw validationError(`${field} ${why}`);
    };
    if (input.url !== undefined) check('url', input.url);
    for (const family of EVENT_FAMILIES) {
      const url = input.urls?.[family];
      if (typeof url === 'string') check(`urls.${family}`, url);
    }
  }
}

const notFound = (id: string) => new DomainError('NOT_FOUND', `Webhook endpoint ${id} not found`);

function familyUrls(current: WebhookEndpoint['familyUrls'], patch: EndpointInput['urls']): WebhookEndpoint['familyUrls'] {
  const next: WebhookEndpoint['familyUrls'] = { ...current };
  for (const family of EVENT_FAMILIES) {
    const value = patch?.[family];
    if (value === null) delete next[family];
    else if (value !== undefined) next[family] = value;
  }
  return next;
}
