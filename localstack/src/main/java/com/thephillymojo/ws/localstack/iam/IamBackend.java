package com.thephillymojo.ws.localstack.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.thephillymojo.ws.localstack.AwsException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.iam.model.*;

/**
 * IAM (global): roles, their managed policy attachments and inline policies, customer managed
 * policies, and {@code SimulatePrincipalPolicy} over a role's identity policies ({@link PolicyEvaluation}
 * says what it evaluates). AWS managed policies ({@code arn:aws:iam::aws:policy/…}) may be attached,
 * but their documents are not known here: a simulation leaves them out.
 */
public final class IamBackend {
    private static final class RoleState {
        Role role;
        final List<AttachedPolicy> attached = new ArrayList<>();
        final Map<String, String> inline = new LinkedHashMap<>();
        /** When the role or its policies last changed (System.nanoTime): IAM's propagation starts then. */
        long changed = System.nanoTime();
    }

    private final String account;
    private final Map<String, RoleState> roles = new LinkedHashMap<>();
    /** Customer managed policies by ARN, with their document (one version, the default). */
    private final Map<String, ManagedPolicy> policies = new LinkedHashMap<>();

    private record ManagedPolicy(Policy policy, String document) {
    }

    public IamBackend(String region, String account) {
        this.account = account;
    }

    private static void validPolicy(String document) {
        try {
            if (!new ObjectMapper().readTree(document).isObject()) {
                throw new IllegalArgumentException();
            }
        } catch (Exception e) {
            throw new AwsException("MalformedPolicyDocument", "This policy contains invalid Json");
        }
    }

    /** IAM returns policy documents URL-encoded, as the real service does. */
    private static String encoded(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private RoleState role(String name) {
        RoleState state = roles.get(AwsException.require(name, "RoleName"));
        if (state == null) {
            throw new AwsException("NoSuchEntity", "The role with name " + name + " cannot be found.", 404);
        }
        return state;
    }

    public synchronized CreateRoleResponse createRole(CreateRoleRequest r) {
        String name = AwsException.require(r.roleName(), "RoleName");
        if (!name.matches("[\\w+=,.@-]{1,64}")) {
            throw new AwsException("ValidationError", "The specified value for roleName is invalid.");
        }
        validPolicy(AwsException.require(r.assumeRolePolicyDocument(), "AssumeRolePolicyDocument"));
        if (roles.containsKey(name)) {
            throw new AwsException("EntityAlreadyExists", "Role with name " + name + " already exists.", 409);
        }
        String path = r.path() == null ? "/" : r.path();
        RoleState state = new RoleState();
        state.role = Role.builder().path(path).roleName(name).roleId("AROA" + UUID.randomUUID().toString().replace("-", "").substring(0, 17).toUpperCase())
                .arn("arn:aws:iam::" + account + ":role" + path + name).createDate(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .assumeRolePolicyDocument(encoded(r.assumeRolePolicyDocument())).description(r.description())
                .maxSessionDuration(r.maxSessionDuration() == null ? 3600 : r.maxSessionDuration()).tags(r.tags()).build();
        roles.put(name, state);
        return CreateRoleResponse.builder().role(state.role).build();
    }

    public synchronized GetRoleResponse getRole(GetRoleRequest r) {
        return GetRoleResponse.builder().role(role(r.roleName()).role).build();
    }

    public synchronized DeleteRoleResponse deleteRole(DeleteRoleRequest r) {
        RoleState state = role(r.roleName());
        if (!state.attached.isEmpty() || !state.inline.isEmpty()) {
            throw new AwsException("DeleteConflict", "Cannot delete entity, must detach all policies first.", 409);
        }
        roles.remove(r.roleName());
        return DeleteRoleResponse.builder().build();
    }

    public synchronized ListRolesResponse listRoles(ListRolesRequest r) {
        List<Role> list = new ArrayList<>();
        roles.values().forEach(s -> {
            if (r.pathPrefix() == null || s.role.path().startsWith(r.pathPrefix())) {
                list.add(s.role);
            }
        });
        return ListRolesResponse.builder().roles(list).isTruncated(false).build();
    }

    public synchronized AttachRolePolicyResponse attachRolePolicy(AttachRolePolicyRequest r) {
        RoleState state = role(r.roleName());
        String arn = AwsException.require(r.policyArn(), "PolicyArn");
        if (!arn.startsWith("arn:aws:iam::")) {
            throw new AwsException("InvalidInput", "ARN " + arn + " is not valid.");
        }
        if (arn.startsWith("arn:aws:iam::" + account + ":") && !policies.containsKey(arn)) {
            throw new AwsException("NoSuchEntity", "Policy " + arn + " does not exist or is not attachable.", 404);
        }
        if (state.attached.stream().noneMatch(p -> p.policyArn().equals(arn))) {
            state.changed = System.nanoTime();
            state.attached.add(AttachedPolicy.builder().policyArn(arn).policyName(arn.substring(arn.lastIndexOf('/') + 1)).build());
        }
        return AttachRolePolicyResponse.builder().build();
    }

    public synchronized DetachRolePolicyResponse detachRolePolicy(DetachRolePolicyRequest r) {
        RoleState state = role(r.roleName());
        if (!state.attached.removeIf(p -> p.policyArn().equals(r.policyArn()))) {
            throw new AwsException("NoSuchEntity", "Policy " + r.policyArn() + " was not found.", 404);
        }
        return DetachRolePolicyResponse.builder().build();
    }

    public synchronized ListAttachedRolePoliciesResponse listAttachedRolePolicies(ListAttachedRolePoliciesRequest r) {
        return ListAttachedRolePoliciesResponse.builder().attachedPolicies(role(r.roleName()).attached).isTruncated(false).build();
    }

    public synchronized PutRolePolicyResponse putRolePolicy(PutRolePolicyRequest r) {
        RoleState state = role(r.roleName());
        String name = AwsException.require(r.policyName(), "PolicyName");
        String document = AwsException.require(r.policyDocument(), "PolicyDocument");
        validPolicy(document);
        state.inline.put(name, document);
        state.changed = System.nanoTime();
        return PutRolePolicyResponse.builder().build();
    }

    public synchronized GetRolePolicyResponse getRolePolicy(GetRolePolicyRequest r) {
        RoleState state = role(r.roleName());
        String document = state.inline.get(r.policyName());
        if (document == null) {
            throw new AwsException("NoSuchEntity", "The role policy with name " + r.policyName() + " cannot be found.", 404);
        }
        return GetRolePolicyResponse.builder().roleName(r.roleName()).policyName(r.policyName()).policyDocument(encoded(document)).build();
    }

    public synchronized DeleteRolePolicyResponse deleteRolePolicy(DeleteRolePolicyRequest r) {
        RoleState state = role(r.roleName());
        if (state.inline.remove(r.policyName()) == null) {
            throw new AwsException("NoSuchEntity", "The role policy with name " + r.policyName() + " cannot be found.", 404);
        }
        return DeleteRolePolicyResponse.builder().build();
    }

    public synchronized ListRolePoliciesResponse listRolePolicies(ListRolePoliciesRequest r) {
        return ListRolePoliciesResponse.builder().policyNames(new ArrayList<>(role(r.roleName()).inline.keySet())).isTruncated(false).build();
    }

    // ---- customer managed policies --------------------------------------------------------------

    public synchronized CreatePolicyResponse createPolicy(CreatePolicyRequest r) {
        String name = AwsException.require(r.policyName(), "PolicyName");
        if (!name.matches("[\\w+=,.@-]{1,128}")) {
            throw new AwsException("ValidationError", "The specified value for policyName is invalid.");
        }
        String document = AwsException.require(r.policyDocument(), "PolicyDocument");
        validPolicy(document);
        String path = r.path() == null ? "/" : r.path();
        String arn = "arn:aws:iam::" + account + ":policy" + path + name;
        if (policies.values().stream().anyMatch(p -> p.policy().policyName().equals(name))) {
            throw new AwsException("EntityAlreadyExists", "A policy called " + name + " already exists. Duplicate names are not allowed.", 409);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Policy policy = Policy.builder().policyName(name).path(path).arn(arn).description(r.description()).defaultVersionId("v1")
                .policyId("ANPA" + UUID.randomUUID().toString().replace("-", "").substring(0, 17).toUpperCase())
                .isAttachable(true).attachmentCount(0).permissionsBoundaryUsageCount(0).createDate(now).updateDate(now).tags(r.tags()).build();
        policies.put(arn, new ManagedPolicy(policy, document));
        return CreatePolicyResponse.builder().policy(policy).build();
    }

    private ManagedPolicy policy(String arn) {
        ManagedPolicy policy = policies.get(AwsException.require(arn, "PolicyArn"));
        if (policy == null) {
            throw new AwsException("NoSuchEntity", "Policy " + arn + " does not exist or is not attachable.", 404);
        }
        return policy;
    }

    private long attachments(String arn) {
        return roles.values().stream().filter(s -> s.attached.stream().anyMatch(p -> p.policyArn().equals(arn))).count();
    }

    public synchronized GetPolicyResponse getPolicy(GetPolicyRequest r) {
        ManagedPolicy p = policy(r.policyArn());
        return GetPolicyResponse.builder().policy(p.policy().toBuilder().attachmentCount((int) attachments(r.policyArn())).build()).build();
    }

    public synchronized GetPolicyVersionResponse getPolicyVersion(GetPolicyVersionRequest r) {
        ManagedPolicy p = policy(r.policyArn());
        if (!"v1".equals(r.versionId())) {
            throw new AwsException("NoSuchEntity", "Policy " + r.policyArn() + " version " + r.versionId() + " does not exist or is not attachable.", 404);
        }
        return GetPolicyVersionResponse.builder().policyVersion(PolicyVersion.builder().versionId("v1").isDefaultVersion(true)
                .document(encoded(p.document())).createDate(p.policy().createDate()).build()).build();
    }

    public synchronized DeletePolicyResponse deletePolicy(DeletePolicyRequest r) {
        policy(r.policyArn());
        if (attachments(r.policyArn()) > 0) {
            throw new AwsException("DeleteConflict", "Cannot delete a policy attached to entities.", 409);
        }
        policies.remove(r.policyArn());
        return DeletePolicyResponse.builder().build();
    }

    // ---- the policy simulator ---------------------------------------------------------------------

    /** When a role or its policies last changed ({@code System.nanoTime()}), if the role exists. */
    public synchronized java.util.OptionalLong changedAt(String roleName) {
        RoleState state = roles.get(roleName);
        return state == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(state.changed);
    }

    /** The role an ARN names ({@code arn:aws:iam::ACCOUNT:role/PATH/NAME}), for STS's AssumeRole. */
    public synchronized java.util.Optional<Role> roleByArn(String arn) {
        return roles.values().stream().map(s -> s.role).filter(role -> role.arn().equals(arn)).findFirst();
    }

    /**
     * What a role's identity policies (inline and customer managed), with any policies given in
     * the request, decide for each action on each resource. One result per action; with several
     * resources, a result per resource in {@code ResourceSpecificResults} and the action's decision
     * the least permissive of them. Paginated by {@code MaxItems} (default 100) and {@code Marker}.
     */
    public synchronized SimulatePrincipalPolicyResponse simulatePrincipalPolicy(SimulatePrincipalPolicyRequest r) {
        String source = AwsException.require(r.policySourceArn(), "PolicySourceArn");
        if (!r.hasActionNames() || r.actionNames().isEmpty()) {
            AwsException.require(null, "ActionNames");
        }
        java.util.regex.Matcher roleArn = java.util.regex.Pattern.compile("arn:aws:iam::(\\d{12}):role/(?:.*/)?([^/]+)").matcher(source);
        if (!roleArn.matches()) {
            throw new AwsException("InvalidInput", "Invalid Entity Arn: " + source + " does not clearly define entity type and name."
                    + (source.contains(":user/") || source.contains(":group/") ? " (the emulator simulates roles only)" : ""));
        }
        RoleState role = roles.get(roleArn.group(2));
        if (role == null || !role.role.arn().equals(source)) {
            throw new AwsException("NoSuchEntity", "The role with name " + roleArn.group(2) + " cannot be found.", 404);
        }
        List<PolicyEvaluation.Source> sources = sources(role);
        if (r.hasPolicyInputList()) {
            for (int i = 0; i < r.policyInputList().size(); i++) {
                validPolicy(r.policyInputList().get(i));
                sources.add(new PolicyEvaluation.Source("PolicyInputList." + (i + 1), "IAM Policy", r.policyInputList().get(i)));
            }
        }
        Map<String, List<String>> context = new LinkedHashMap<>();
        if (r.hasContextEntries()) {
            r.contextEntries().forEach(e -> context.put(AwsException.require(e.contextKeyName(), "ContextKeyName").toLowerCase(java.util.Locale.ROOT),
                    e.hasContextKeyValues() ? e.contextKeyValues() : List.of()));
        }
        List<String> resources = r.hasResourceArns() && !r.resourceArns().isEmpty() ? r.resourceArns() : List.of("*");
        int max = r.maxItems() == null ? 100 : r.maxItems();
        if (max < 1 || max > 1000) {
            throw new AwsException("ValidationError", "1 validation error detected: Value '" + max
                    + "' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000");
        }
        int from;
        try {
            from = r.marker() == null ? 0 : Integer.parseInt(r.marker());
        } catch (NumberFormatException e) {
            throw new AwsException("InvalidInput", "Invalid Marker.");
        }
        PolicyEvaluation evaluation = new PolicyEvaluation(sources);
        List<String> actions = r.actionNames();
        List<EvaluationResult> results = new ArrayList<>();
        for (int i = from; i < Math.min(actions.size(), from + max); i++) {
            results.add(evaluate(evaluation, actions.get(i), resources, context));
        }
        boolean truncated = from + max < actions.size();
        return SimulatePrincipalPolicyResponse.builder().evaluationResults(results).isTruncated(truncated)
                .marker(truncated ? String.valueOf(from + max) : null).build();
    }

    /** A role's identity policies: inline, then customer managed. */
    private List<PolicyEvaluation.Source> sources(RoleState role) {
        List<PolicyEvaluation.Source> sources = new ArrayList<>();
        role.inline.forEach((name, document) -> sources.add(new PolicyEvaluation.Source(name, "role", document)));
        for (AttachedPolicy attached : role.attached) {
            ManagedPolicy managed = policies.get(attached.policyArn());
            if (managed != null) {
                sources.add(new PolicyEvaluation.Source(managed.policy().policyName(), "user-managed", managed.document()));
            }
        }
        return sources;
    }

    /**
     * What a role's policies decide for one call ({@code allowed}, {@code implicitDeny},
     * {@code explicitDeny}), as the simulator would: for IAM enforced on calls. A role deleted
     * since its session began allows nothing.
     */
    public synchronized String decide(String roleName, String action, String resource, Map<String, List<String>> context) {
        RoleState role = roles.get(roleName);
        if (role == null) {
            return PolicyEvaluation.Decision.IMPLICIT_DENY.wire;
        }
        return new PolicyEvaluation(sources(role)).decide(action, resource, context).decision().wire;
    }

    private static EvaluationResult evaluate(PolicyEvaluation evaluation, String action, List<String> resources, Map<String, List<String>> context) {
        List<ResourceSpecificResult> each = new ArrayList<>();
        PolicyEvaluation.Result least = null;
        java.util.Set<String> missing = new java.util.LinkedHashSet<>();
        for (String resource : resources) {
            PolicyEvaluation.Result result = evaluation.decide(action, resource, context);
            missing.addAll(result.missingContext());
            if (least == null || result.decision().ordinal() > least.decision().ordinal()) {
                least = result;
            }
            each.add(ResourceSpecificResult.builder().evalResourceName(resource).evalResourceDecision(result.decision().wire)
                    .matchedStatements(statements(result)).missingContextValues(result.missingContext()).build());
        }
        EvaluationResult.Builder out = EvaluationResult.builder().evalActionName(action)
                .evalResourceName(resources.size() == 1 ? resources.get(0) : "*").evalDecision(least.decision().wire)
                .matchedStatements(statements(least)).missingContextValues(missing);
        if (resources.size() > 1) {
            out.resourceSpecificResults(each);
        }
        return out.build();
    }

    private static List<software.amazon.awssdk.services.iam.model.Statement> statements(PolicyEvaluation.Result result) {
        return result.matched().stream().map(m -> software.amazon.awssdk.services.iam.model.Statement.builder()
                .sourcePolicyId(m.sourceId()).sourcePolicyType(m.sourceType()).build()).toList();
    }
}
