import { theme } from 'antd';
import React from 'react';
import type { BulkApi } from './bulk-api-client';
import { BulkJobList } from './BulkJobList';
import { BulkJobPage } from './BulkJobPage';

/** Where the user is in Mass Send Tracking: the list of jobs (jobId null) or one job. */
export interface BulkPlace {
  jobId: number | null;
}

export interface BulkTrackingProps {
  api: BulkApi;
  place: BulkPlace;
  onPlace(place: BulkPlace): void;
  /** A sent recipient's mail, to open in the reader. */
  onOpenMail(messageId: number): void;
  subscribeRemote?: (listener: () => void) => () => void;
}

/** The mail center's "Mass Send Tracking" (S-BULK-5): the jobs, or one job and its recipients. */
export function BulkTracking({ api, place, onPlace, onOpenMail, subscribeRemote }: BulkTrackingProps) {
  return (
    <>
      <BulkStyles />
      {place.jobId ? (
        <BulkJobPage
          key={place.jobId}
          api={api}
          jobId={place.jobId}
          onBack={() => onPlace({ jobId: null })}
          onOpenMail={onOpenMail}
          subscribeRemote={subscribeRemote}
        />
      ) : (
        <BulkJobList api={api} onOpen={(jobId) => onPlace({ jobId })} subscribeRemote={subscribeRemote} />
      )}
    </>
  );
}

/** Layout of the tracking views, from the theme (as MailStyles does for the rest of the mail center). */
function BulkStyles() {
  const { token } = theme.useToken();
  const css = `
.emc-bulk{padding:12px 16px 24px}
.emc-bulk-head{display:flex;align-items:center;justify-content:space-between;gap:12px;margin-bottom:12px;min-height:32px}
.emc-bulk-meta{display:flex;flex-wrap:wrap;gap:4px 24px;color:${token.colorTextSecondary};font-size:13px;margin:0 0 12px 40px}
.emc-bulk-progress{margin:0 0 16px 40px;max-width:520px}
.emc-bulk-toolbar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:8px;margin-bottom:12px}
`;
  return <style>{css}</style>;
}
