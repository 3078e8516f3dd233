/** Placeholder for an area that is planned but not built yet. It says so plainly and shows no data. */
export const NotBuiltPage = ({ title, plan }: { title: string; plan: string }) => (
  <div className="page">
    <header className="page-header">
      <h1>{title}</h1>
    </header>
    <div className="state state-empty not-built">
      <h2>Not built yet</h2>
      <p>{plan}</p>
      <p className="muted">This page will appear in a later version. Nothing here is computed yet.</p>
    </div>
  </div>
);
