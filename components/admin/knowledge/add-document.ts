import type { AddResult, IndexStage } from './types';

export interface AddProgress {
  /** 0–100 over the whole job: sending the bytes, then the server's indexing stages. */
  percent: number;
  label: string;
}

type Line =
  | { type: 'progress'; stage: IndexStage; done: number; total: number }
  | ({ type: 'done' } & AddResult)
  | { type: 'error'; error: { message: string } };

/** Share of the bar each phase fills: the upload itself, then each indexing stage. */
const UPLOAD_SHARE = 40;
const STAGE_RANGE: Record<IndexStage, [number, number]> = {
  extracting: [40, 50],
  chunking: [50, 55],
  embedding: [55, 90],
  storing: [90, 98],
  done: [100, 100],
};
const STAGE_LABEL: Record<IndexStage, string> = {
  extracting: 'Reading',
  chunking: 'Splitting into passages',
  embedding: 'Embedding',
  storing: 'Saving',
  done: 'Finishing',
};

/**
 * Sends one file (or a web address) to the admin API and follows its NDJSON progress stream.
 * XHR rather than fetch, because only XHR reports upload progress for the bytes themselves.
 */
export function addDocument(
  body: { file: File; category?: string } | { url: string; category?: string },
  onProgress: (progress: AddProgress) => void,
): Promise<AddResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/admin/kb/documents');
    let read = 0;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };

    const readLines = () => {
      if (xhr.status !== 200) return;
      const text = xhr.responseText;
      const end = text.lastIndexOf('\n') + 1;
      for (const raw of text.slice(read, end).split('\n')) {
        if (!raw.trim()) continue;
        const line = JSON.parse(raw) as Line;
        if (line.type === 'progress') {
          const [from, to] = STAGE_RANGE[line.stage];
          const share = line.total > 0 ? line.done / line.total : 1;
          const counted = line.stage === 'embedding' && line.total > 0;
          onProgress({
            percent: Math.round(from + (to - from) * share),
            label: counted
              ? `${STAGE_LABEL[line.stage]} ${line.done} of ${line.total} passages`
              : STAGE_LABEL[line.stage],
          });
        } else if (line.type === 'done') {
          finish(() => resolve(line));
        } else {
          finish(() => reject(new Error(line.error.message)));
        }
      }
      read = end;
    };

    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable) return;
      onProgress({
        percent: Math.round((event.loaded / event.total) * UPLOAD_SHARE),
        label: 'Uploading',
      });
    };
    xhr.upload.onload = () => onProgress({ percent: UPLOAD_SHARE, label: 'Reading' });
    xhr.onprogress = readLines;
    xhr.onload = () => {
      if (xhr.status === 200) {
        readLines();
        finish(() => reject(new Error('The server stopped before the document was saved.')));
        return;
      }
      let message = `The upload failed (${xhr.status}).`;
      try {
        message = (JSON.parse(xhr.responseText) as { error: { message: string } }).error.message;
      } catch {
        // Not our JSON error body (a proxy's page, say): the status is all there is to tell.
      }
      finish(() => reject(new Error(message)));
    };
    xhr.onerror = () => finish(() => reject(new Error('The connection failed. Try again.')));

    if ('file' in body) {
      const form = new FormData();
      form.append('file', body.file);
      if (body.category) form.append('category', body.category);
      xhr.send(form);
    } else {
      xhr.setRequestHeader('content-type', 'application/json');
      xhr.send(JSON.stringify(body));
    }
  });
}
