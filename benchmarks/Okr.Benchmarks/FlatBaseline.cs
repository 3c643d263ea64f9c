namespace Okr.Benchmarks;

/// <summary>
/// The practical limit: the same arithmetic as the alignment graph's roll-up (exact decimal
/// differences, one double division, clamped to 0..1; weighted mean of key results with no data as
/// zero; blended half and half with the mean of the children) over plain arrays, with no ids, no
/// policies, no virtual calls and no validation.
/// </summary>
public sealed class FlatBaseline
{
    private readonly EnterpriseData _data;

    public FlatBaseline(EnterpriseData data)
    {
        _data = data;
        var n = data.ParentA.Length;
        ChildStart = new int[n + 1];
        for (var i = 0; i < n; i++)
        {
            if (data.ParentA[i] >= 0)
            {
                ChildStart[data.ParentA[i] + 1]++;
            }

            if (data.ParentB[i] >= 0)
            {
                ChildStart[data.ParentB[i] + 1]++;
            }
        }

        for (var i = 0; i < n; i++)
        {
            ChildStart[i + 1] += ChildStart[i];
        }

        Children = new int[ChildStart[n]];
        var fill = (int[])ChildStart.Clone();
        for (var i = 0; i < n; i++)
        {
            if (data.ParentA[i] >= 0)
            {
                Children[fill[data.ParentA[i]]++] = i;
            }

            if (data.ParentB[i] >= 0)
            {
                Children[fill[data.ParentB[i]]++] = i;
            }
        }

        // Kahn's algorithm, children first.
        Order = new int[n];
        var pending = new int[n];
        int head = 0, tail = 0;
        for (var i = 0; i < n; i++)
        {
            pending[i] = ChildStart[i + 1] - ChildStart[i];
            if (pending[i] == 0)
            {
                Order[tail++] = i;
            }
        }

        while (head < tail)
        {
            var c = Order[head++];
            if (data.ParentA[c] >= 0 && --pending[data.ParentA[c]] == 0)
            {
                Order[tail++] = data.ParentA[c];
            }

            if (data.ParentB[c] >= 0 && --pending[data.ParentB[c]] == 0)
            {
                Order[tail++] = data.ParentB[c];
            }
        }
    }

    public int[] ChildStart { get; }

    public int[] Children { get; }

    public int[] Order { get; }

    public double[] Rollup()
    {
        var progress = new double[_data.ParentA.Length];
        foreach (var i in Order)
        {
            progress[i] = Objective(i, progress);
        }

        return progress;
    }

    /// <summary>Recomputes one key result's objective and its ancestors in place, level by level (children first).</summary>
    public void Update(double[] progress, int keyResult, double value, int[] scratch)
    {
        _data.Values[keyResult] = (decimal)value;
        var count = 0;
        scratch[count++] = keyResult / EnterpriseData.KeyResultsPerObjective;
        for (var q = 0; q < count; q++)
        {
            var i = scratch[q];
            foreach (var p in new[] { _data.ParentA[i], _data.ParentB[i] })
            {
                if (p >= 0 && Array.IndexOf(scratch, p, 0, count) < 0)
                {
                    scratch[count++] = p;
                }
            }
        }

        Array.Sort(scratch, 0, count, Comparer<int>.Create((a, b) => _data.Level[b].CompareTo(_data.Level[a])));
        for (var q = 0; q < count; q++)
        {
            progress[scratch[q]] = Objective(scratch[q], progress);
        }
    }

    private double Objective(int i, double[] progress)
    {
        double sum = 0, weights = 0;
        var first = i * EnterpriseData.KeyResultsPerObjective;
        for (var k = first; k < first + EnterpriseData.KeyResultsPerObjective; k++)
        {
            var p = _data.Values[k] is { } v ? Math.Clamp((double)(v - _data.Baseline[k]) / (double)(_data.Target[k] - _data.Baseline[k]), 0, 1) : 0;
            sum += p * _data.KrWeight[k];
            weights += _data.KrWeight[k];
        }

        var own = sum / weights;
        var childCount = ChildStart[i + 1] - ChildStart[i];
        if (childCount == 0)
        {
            return own;
        }

        double childSum = 0;
        for (var e = ChildStart[i]; e < ChildStart[i + 1]; e++)
        {
            childSum += progress[Children[e]];
        }

        return (0.5 * own) + (0.5 * (childSum / childCount));
    }
}
