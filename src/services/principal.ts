// Who is calling: an app-scoped key acts only for its appId; an operations key (appId null) for all.
export interface Principal {
  appId: string | null;
}

export const canActFor = (principal: Principal, appId: string): boolean =>
  principal.appId === null || principal.appId === appId;
