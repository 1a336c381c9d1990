; The platform layer (as Linux's pv_ops): every operation that a hypervisor may need to
; see goes through one of these macros, so one kernel source can be built for bare metal
; now and, later, with hypercalls (-D PV=1) instead of privileged instructions.

        .macro PLAT_CLI
        cli
        .endm

        .macro PLAT_STI
        sti
        .endm

; local_irq_save / local_irq_restore: the interrupt flag travels through the stack
        .macro PLAT_IRQ_SAVE reg
        pushf
        pop     \reg
        cli
        .endm

        .macro PLAT_IRQ_RESTORE reg
        push    \reg
        popf
        .endm

        .macro PLAT_LOAD_CR3 reg
        mov     cr3, \reg
        .endm

        .macro PLAT_ENABLE_PAGING reg
        mov     \reg, 0x80000001
        mov     cr0, \reg
        .endm

        .macro PLAT_INVLPG reg
        invlpg  [\reg]
        .endm

        .macro PLAT_LOAD_IDT reg
        lidt    [\reg]
        .endm

        .macro PLAT_SET_KERNEL_STACK reg
        wrmsr   0, \reg
        .endm

        .macro PLAT_OUT port, reg
        out     \port, \reg
        .endm

        .macro PLAT_IN reg, port
        in      \reg, \port
        .endm

        .macro PLAT_EXIT reg
        out     0xf4, \reg
        .endm
