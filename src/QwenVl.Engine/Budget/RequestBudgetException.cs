namespace QwenVl.Engine.Budget;

/// <summary>A request is over the token or memory budget; the message says by how much and what to change. Nothing ran.</summary>
public sealed class RequestBudgetException : Exception
{
    public RequestBudgetException(string message)
        : base(message)
    {
    }

    public RequestBudgetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RequestBudgetException()
    {
    }
}
