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

/** IAM (global): roles, their managed policy attachments and inline policies. */
public final class IamBackend {
    private static final class RoleState {
        Role role;
        final List<AttachedPolicy> attached = new ArrayList<>();
        final Map<String, String> inline = new LinkedHashMap<>();
    }

    private final String account;
    private final Map<String, RoleState> roles = new LinkedHashMap<>();

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
        if (state.attached.stream().noneMatch(p -> p.policyArn().equals(arn))) {
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
}
