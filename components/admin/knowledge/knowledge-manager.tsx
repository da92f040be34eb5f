'use client';

import { useState } from 'react';
import { AddDocuments } from './add-documents';
import { DocumentList } from './document-list';
import { TryQuestion } from './try-question';

export function KnowledgeManager() {
  const [version, setVersion] = useState(0);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Knowledge base</h1>
        <p className="text-sm text-ink-500">
          The bot answers customers only from these documents. They also make up the help center at{' '}
          <a href="/kb" className="text-brand-600 underline">
            /kb
          </a>
          .
        </p>
      </div>
      <AddDocuments onAdded={() => setVersion((v) => v + 1)} />
      <TryQuestion />
      <DocumentList version={version} />
    </div>
  );
}
