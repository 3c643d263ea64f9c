namespace Okr.Storage.Relational;

/// <summary>
/// A store's one-time start (the schema migration): run on first use and shared by every caller while it runs; once it
/// has succeeded, done for the store's life. A start that failed (the database was down, a transient network error)
/// is not remembered: the next call starts it again, so one outage does not break the store instance for good.
/// Compiled into each SQL store (linked source, internal).
/// </summary>
internal sealed class RetriedInitialization
{
    private readonly Func<Task> _start;
    private readonly object _gate = new();
    private Task? _current;

    /// <summary>Wraps the start.</summary>
    /// <param name="start">Starts the work; called again after a failure.</param>
    public RetriedInitialization(Func<Task> start) => _start = start;

    /// <summary>The start: the one that succeeded, the one running, or a new one when there is none or the last failed.</summary>
    public Task Value
    {
        get
        {
            var current = Volatile.Read(ref _current);
            if (current is { IsCompletedSuccessfully: true })
            {
                return current;
            }

            lock (_gate)
            {
                if (_current is null || _current.IsFaulted || _current.IsCanceled)
                {
                    _current = Task.Run(_start);
                }

                return _current;
            }
        }
    }
}
